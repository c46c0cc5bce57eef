/**
 * `npx tsx bench/all-in-readme.ts`: whole payments priced all in (bench/all-in.ts)
 * without the rest of the bench, and README's cost table published from them
 * (npm run bench does the same on full runs). ALL_IN_PAYMENTS sets how many per
 * order of arrival (40, as a full run).
 */
import { cpus } from 'node:os';
import { join } from 'node:path';
import { measureAllIn } from './all-in';
import { publishCost } from './cost-readme';
import { startBenchStack } from './stack';

process.env.AWS_EC2_METADATA_DISABLED ??= 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= '1';
void (async () => {
  const payments = Number(process.env.ALL_IN_PAYMENTS ?? 40);
  const stack = await startBenchStack();
  try {
    await stack.simulator.setLatency(30);
    const allIn = await measureAllIn(stack, payments);
    publishCost(join(__dirname, '..'), {
      measured: {
        timestamp: new Date().toISOString(),
        machine: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.versions.node}`,
        command: `ALL_IN_PAYMENTS=${payments} npx tsx bench/all-in-readme.ts`,
      },
      allIn,
    });
    console.log(
      `README.md: $${allIn.webhookFirst.allIn.toFixed(2)} per million (complete first $${allIn.completeFirst.allIn.toFixed(2)})`,
    );
  } finally {
    await stack.stop();
  }
})();
