/**
 * CLI: `npx tsx simulator/portone/main.ts [--port N] [--webhook-url URL] [--latency-ms N] [--quiet]`.
 * Env PORTONE_SIM_PORT, PORTONE_SIM_WEBHOOK_URL and PORTONE_SIM_LATENCY_MS are read when the flags are absent.
 */
import { startPortOneSimulator } from './server';

function flag(name: string): string | undefined {
  const args = process.argv.slice(2);
  const index = args.indexOf(name);
  if (index >= 0) return args[index + 1];
  const inline = args.find((arg) => arg.startsWith(`${name}=`));
  return inline?.slice(name.length + 1);
}

function parseInteger(name: string, value: string | undefined, max: number): number {
  if (value === undefined || value === '') return 0;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > max) {
    console.error(`invalid ${name}: ${value}`);
    process.exit(2);
  }
  return parsed;
}

async function main(): Promise<void> {
  const port = parseInteger('port', flag('--port') ?? process.env.PORTONE_SIM_PORT, 65535);
  const latencyMs = parseInteger(
    'latency',
    flag('--latency-ms') ?? process.env.PORTONE_SIM_LATENCY_MS,
    60_000,
  );
  const webhookUrl = flag('--webhook-url') ?? process.env.PORTONE_SIM_WEBHOOK_URL;
  const sim = await startPortOneSimulator({
    port,
    ...(webhookUrl ? { webhookUrl } : {}),
    quiet: process.argv.includes('--quiet'),
    latencyMs,
  });
  console.log(`PortOne simulator listening on ${sim.url}`);
  console.log(`Checkout SDK (stand-in for cdn.iamport.kr/v1/iamport.js): ${sim.url}/v1/iamport.js`);
  const stop = () => {
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
