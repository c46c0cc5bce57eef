/**
 * CLI: `npx tsx simulator/portone/main.ts [--port N] [--webhook-url URL] [--quiet]`.
 * Env PORTONE_SIM_PORT and PORTONE_SIM_WEBHOOK_URL are read when the flags are absent.
 */
import { startPortOneSimulator } from './server';

function flag(name: string): string | undefined {
  const args = process.argv.slice(2);
  const index = args.indexOf(name);
  if (index >= 0) return args[index + 1];
  const inline = args.find((arg) => arg.startsWith(`${name}=`));
  return inline?.slice(name.length + 1);
}

function parsePort(value: string | undefined): number {
  if (value === undefined || value === '') return 0;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`invalid port: ${value}`);
    process.exit(2);
  }
  return port;
}

async function main(): Promise<void> {
  const port = parsePort(flag('--port') ?? process.env.PORTONE_SIM_PORT);
  const webhookUrl = flag('--webhook-url') ?? process.env.PORTONE_SIM_WEBHOOK_URL;
  const sim = await startPortOneSimulator({
    port,
    ...(webhookUrl ? { webhookUrl } : {}),
    quiet: process.argv.includes('--quiet'),
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
