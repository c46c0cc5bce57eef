/**
 * What one fresh process of the burst runs (`node -e <script>`): it requires
 * a production bundle (bench/bundles.ts), hands its handler one API Gateway
 * event, prints one line and exits, as a container that lives for one event.
 * Plain JavaScript text, not a TypeScript module, so that nothing but Node.js
 * and the bundle is loaded: the process is a real cold start.
 */
import { apiGatewayEvent, PORTONE_WEBHOOK_IP } from './lambda-event';

/** The line a worker prints once it has its answer; anything else it prints is ignored. */
export const ANSWER_MARK = 'BURST-ANSWER ';

export type BurstRoute = 'webhook' | 'complete';

/** What a worker says about itself; times in ms since its own process started. */
export interface WorkerAnswer {
  status: number;
  /** The answer's `status` word, e.g. applied or success. */
  word: string | null;
  /** When the bundle had loaded (module scope done: config, clients, the secret read started). */
  loadedMs: number;
  /** When the handler answered. */
  answeredMs: number;
  error?: string;
}

/** The event API Gateway's HTTP API (payload 2.0) hands the route for one paid order. */
export const burstEvent = (
  route: BurstRoute,
  order: { merchantUid: string; impUid: string },
  origin: string,
) =>
  apiGatewayEvent(
    {
      method: 'POST',
      path: route === 'webhook' ? '/payments/webhook' : '/payments/complete',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify({
        imp_uid: order.impUid,
        merchant_uid: order.merchantUid,
        ...(route === 'webhook' ? { status: 'paid' } : {}),
      }),
      sourceIp: PORTONE_WEBHOOK_IP,
    },
    `burst-${order.merchantUid}`,
  );

/**
 * The script: performance.now() counts from the process's own start, so
 * `loadedMs` and `answeredMs` are the cold start as the process saw it; the
 * parent times spawn to answer from outside. The Lambda context is the
 * fields Powertools reads. It exits at once after printing: keep-alive
 * sockets would otherwise hold it open.
 */
export const workerScript = (bundle: string, event: unknown): string => `
const handler = require(${JSON.stringify(bundle)}).handler;
const loadedMs = performance.now();
const context = { functionName: 'payments-burst', functionVersion: '$LATEST', memoryLimitInMB: '256',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:payments-burst',
  awsRequestId: 'burst-' + process.pid, getRemainingTimeInMillis: () => 10000 };
const say = (answer) => process.stdout.write(${JSON.stringify(ANSWER_MARK)} + JSON.stringify(answer) + '\\n', () => process.exit(0));
handler(${JSON.stringify(event)}, context).then(
  (result) => {
    let word = null;
    try { word = JSON.parse(result.body).status ?? null; } catch {}
    say({ status: result.statusCode, word, loadedMs, answeredMs: performance.now() });
  },
  (error) => say({ status: 0, word: null, loadedMs, answeredMs: performance.now(), error: String(error && error.message || error) }),
);
`;

/** The worker's answer from its whole stdout, or null when it printed none. */
export const parseAnswer = (stdout: string): WorkerAnswer | null => {
  const line = stdout.split('\n').find((l) => l.startsWith(ANSWER_MARK));
  if (line === undefined) return null;
  try {
    return JSON.parse(line.slice(ANSWER_MARK.length)) as WorkerAnswer;
  } catch {
    return null;
  }
};
