import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AllInResults } from './all-in';
import { ALL_IN_INPUTS, ALL_IN_PRICES } from './cost-all-in';

/**
 * README's Cost table is written by `npm run bench` (full size) from the run's
 * all-in figures, between these two markers, and the figures it was made
 * from are kept in docs/cost-figures.json: test/unit/bench/cost-readme.test.ts
 * checks that the README says what those figures make.
 */
export const BEGIN = '<!-- cost table: written by npm run bench, do not edit -->';
export const END = '<!-- end of cost table -->';
export const FIGURES_FILE = join('docs', 'cost-figures.json');

export interface CostFigures {
  /** When and where the figures were measured. */
  measured: { timestamp: string; machine: string; command: string };
  allIn: AllInResults;
}

const usd = (value: number) => `$${value.toFixed(2)}`;

export const renderCostTable = ({ measured, allIn }: CostFigures): string => {
  const { webhookFirst, completeFirst } = allIn;
  return [
    BEGIN,
    `Measured by \`${measured.command}\` on ${measured.timestamp.slice(0, 10)} (${measured.machine}): whole payments`,
    'through the service with the deployed logger counting its bytes, memory sizes, alarms, metric filters and log classes',
    `from the synthesized template (bench section 9); CORS preflights from the shop's own request headers, the order item's size read back.`,
    `Taken as given: one cold start per ${1 / ALL_IN_INPUTS.coldStartsPerInvocation} invocations, the reconciler every 5 minutes (${ALL_IN_INPUTS.reconcilerBilledMs} ms a run), the \`settled\` function ${ALL_IN_INPUTS.settledBilledMs} ms a payment.`,
    '',
    '| Resource (this stack) | Quantity per million card payments (webhook first) | List price | Cost |',
    '|---|---|---|---|',
    ...webhookFirst.lines.map(
      (line) => `| ${line.name} | ${line.quantity} | ${line.price} | ${usd(line.usd)} |`,
    ),
    `| **Total, all in** | | | **${usd(webhookFirst.allIn)}** |`,
    '',
    `Of it ${usd(webhookFirst.fixed)} is owed whatever the traffic (the secret and the alarms; the CloudWatch dashboard, off unless`,
    `deployed with \`-c dashboard=true\`, adds ${usd(ALL_IN_PRICES.dashboardMonth)}). When complete`,
    `reaches the service before the webhook, the same million costs ${usd(completeFirst.allIn)}.`,
    END,
  ].join('\n');
};

/** README.md with its cost table replaced by `table`; throws when the markers are missing. */
export const withCostTable = (readme: string, table: string): string => {
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no "${BEGIN}" ... "${END}" block`);
  return readme.slice(0, start) + table + readme.slice(end + END.length);
};

/** Writes docs/cost-figures.json and README's table from a full run. */
export const publishCost = (root: string, figures: CostFigures): void => {
  writeFileSync(join(root, FIGURES_FILE), `${JSON.stringify(figures, null, 2)}\n`);
  const file = join(root, 'README.md');
  writeFileSync(file, withCostTable(readFileSync(file, 'utf8'), renderCostTable(figures)));
};
