import { ALL_IN_INPUTS, type AllInCost } from './cost-all-in';
import type { BenchResults } from './results';

const table = (cost: AllInCost) =>
  cost.lines.map((line) => `  ${line.usd.toFixed(2).padStart(7)}  ${line.name}: ${line.quantity}`);

/** Section 9: one million card payments, all in, from this run's measured payments and the synthesized template. */
export const allInSection = (r: Pick<BenchResults, 'allIn'>): string => {
  const { webhookFirst, completeFirst, template } = r.allIn;
  return [
    '9. All in: US dollars per million card payments (us-east-1 list prices, no free tier)',
    `  Whole payments measured through ours (POST /orders, complete, webhook) with the deployed logger counting its bytes;`,
    `  memory, alarms, metric filters, dashboards and log classes from the synthesized template (${Object.entries(
      template.memoryMb,
    )
      .map(([name, mb]) => `${name} ${mb} MB`)
      .join(', ')}).`,
    `  Taken as given: ${ALL_IN_INPUTS.platformLogBytesPerInvocation} bytes of Lambda platform lines per invocation, one cold start per ${1 / ALL_IN_INPUTS.coldStartsPerInvocation} invocations,`,
    `  the reconciler ${ALL_IN_INPUTS.reconcilerBilledMs} ms x ${ALL_IN_INPUTS.reconcilerRunsPerMonth} runs, settled ${ALL_IN_INPUTS.settledBilledMs} ms per payment.`,
    `  Webhook first (the common order; the headline, cost.allIn): $${webhookFirst.allIn.toFixed(2)}, of it $${webhookFirst.fixed.toFixed(2)} whatever the traffic`,
    ...table(webhookFirst),
    `  Complete first: $${completeFirst.allIn.toFixed(2)}`,
    ...table(completeFirst),
  ].join('\n');
};
