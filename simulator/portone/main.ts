/**
 * CLI for the PortOne simulator; `--help` prints USAGE below, which is the
 * documentation of every flag and environment variable.
 */
import { startPortOneSimulator } from './server';

const USAGE = `Usage: npx tsx simulator/portone/main.ts [options]

Options (each flag falls back to its environment variable):
  --port N              port to listen on, 0 = a free one (PORTONE_SIM_PORT; default 0)
  --webhook-url URL     where V1 notifications go (PORTONE_SIM_WEBHOOK_URL)
  --v2-webhook-url URL  where signed V2 webhooks go, e.g. http://127.0.0.1:3000/v2/payments/webhook
                        (PORTONE_SIM_V2_WEBHOOK_URL); without it no V2 webhook is sent until
                        POST /__sim/v2/config names a webhookUrl
  --v2-webhook-retry-base-ms N
                        nominal delay of the first automatic V2 re-send, then x4 each, up to 5 re-sends
                        on a non-2xx or unreachable merchant (PORTONE_SIM_V2_WEBHOOK_RETRY_BASE_MS;
                        default 60000 as PortOne: 1, 4, 16, 64, 256 minutes, with full jitter)
  --latency-ms N        delay before every API answer (PORTONE_SIM_LATENCY_MS; default 0)
  --quiet               no request logging
  --help                print this text and exit

Served besides the APIs: /v1/iamport.js (IMP.request_pay) and /v2-browser-sdk.js
(PortOne.requestPayment), each opening the simulator's checkout window.
`;

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

/** A webhook target from the flag or the environment; a malformed one stops the start (exit 2). */
function urlOption(name: string, envName: string): string | undefined {
  const value = flag(name) ?? process.env[envName];
  if (value === undefined || value === '') return undefined;
  if (!URL.canParse(value)) {
    console.error(`invalid ${name.slice(2)}: ${value}`);
    process.exit(2);
  }
  return value;
}

async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    process.stdout.write(USAGE);
    return;
  }
  const port = parseInteger('port', flag('--port') ?? process.env.PORTONE_SIM_PORT, 65535);
  const latencyMs = parseInteger(
    'latency',
    flag('--latency-ms') ?? process.env.PORTONE_SIM_LATENCY_MS,
    60_000,
  );
  const webhookUrl = urlOption('--webhook-url', 'PORTONE_SIM_WEBHOOK_URL');
  const v2WebhookUrl = urlOption('--v2-webhook-url', 'PORTONE_SIM_V2_WEBHOOK_URL');
  const retryBase =
    flag('--v2-webhook-retry-base-ms') ?? process.env.PORTONE_SIM_V2_WEBHOOK_RETRY_BASE_MS;
  const sim = await startPortOneSimulator({
    port,
    ...(webhookUrl ? { webhookUrl } : {}),
    ...(v2WebhookUrl ? { v2WebhookUrl } : {}),
    ...(retryBase
      ? { v2WebhookRetryBaseMs: parseInteger('v2-webhook-retry-base-ms', retryBase, 86_400_000) }
      : {}),
    quiet: process.argv.includes('--quiet'),
    latencyMs,
  });
  console.log(`PortOne simulator listening on ${sim.url}`);
  console.log(`Checkout SDK (stand-in for cdn.iamport.kr/v1/iamport.js): ${sim.url}/v1/iamport.js`);
  console.log(`PortOne V2 API: ${sim.v2Url}`);
  console.log(
    `V2 browser SDK (stand-in for @portone/browser-sdk/v2, global PortOne): ${sim.url}/v2-browser-sdk.js`,
  );
  if (v2WebhookUrl) console.log(`V2 webhooks go to ${v2WebhookUrl}`);
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
