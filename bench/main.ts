/**
 * `npm run bench`: builds the production bundles, runs both systems on the
 * local stack, prints the table and writes bench/results.json.
 * BENCH_SIZE=smoke runs the few-second version; BENCH_NODE=/path/to/node
 * times the cold imports with another Node.js binary.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './bundles';
import { FIGURES_FILE, publishCost } from './cost-readme';
import { formatReport } from './report';
import { runBench } from './run';
import { sizeFromEnv } from './sizes';

const main = async () => {
  // Every AWS client here has explicit local credentials; never look for instance metadata.
  process.env.AWS_EC2_METADATA_DISABLED ??= 'true';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'; // Node 20 is supported (README)
  const results = await runBench({
    size: sizeFromEnv(),
    // e.g. a Node 22 binary, to time cold imports on the Lambda runtime's version.
    ...(process.env.BENCH_NODE ? { coldImportNode: process.env.BENCH_NODE } : {}),
    progress: (line) => process.stderr.write(`bench ${line}\n`),
  });
  const file = join(REPO_ROOT, 'bench', 'results.json');
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(formatReport(results));
  // Only a full run may rewrite README's cost table (and the figures it is made from).
  if (results.size === 'full') {
    publishCost(REPO_ROOT, {
      measured: {
        timestamp: results.timestamp,
        machine: `${results.machine.cpus} x ${results.machine.cpuModel}, Node ${results.machine.node}`,
        command: results.command,
      },
      allIn: results.allIn,
    });
    console.log(`README.md's cost table and ${FIGURES_FILE} rewritten from this run`);
  }
  console.log(`\nAll figures: ${file}`);
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
