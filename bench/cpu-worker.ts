/**
 * What one CPU-phase process runs (`node -e <script>` with an IPC channel):
 * it requires one production bundle (bench/bundles.ts) and nothing else,
 * waits for its events, hands them to the handler one at a time as Lambda
 * would, and sends back, per event, the process's CPU time around that one
 * `await handler(event, context)` (process.cpuUsage: user + system, every
 * thread of the process) and its wall time. Plain JavaScript text, so that
 * no loader or TypeScript runtime shares the process with the handler.
 */

/** One event as the worker saw it. */
export interface CpuSample {
  cpuMs: number;
  /** Of cpuMs, the kernel's (system) time: on loopback it includes the receiving end's TCP work. */
  systemMs: number;
  wallMs: number;
  status: number;
  /** The answer's `status` word: the body's, or the redirect Location's `status` parameter. */
  word: string | null;
  error?: string;
}

export const cpuWorkerScript = (bundle: string): string => `
const handler = require(${JSON.stringify(bundle)}).handler;
const context = { functionName: 'payments-cpu', functionVersion: '$LATEST', memoryLimitInMB: '512',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:payments-cpu',
  getRemainingTimeInMillis: () => 10000 };
const wordOf = (result) => {
  const location = result.headers && (result.headers.location || result.headers.Location);
  if (location) { try { return new URL(location).searchParams.get('status'); } catch { return null; } }
  try { return JSON.parse(result.body).status ?? null; } catch { return null; }
};
process.once('message', async (events) => {
  const samples = [];
  for (const event of events) {
    let status = 0, word = null, error;
    const wallStarted = performance.now();
    const before = process.cpuUsage();
    try {
      const result = await handler(event, { ...context, awsRequestId: event.requestContext.requestId });
      status = result.statusCode;
      word = wordOf(result);
    } catch (e) {
      error = String((e && e.message) || e);
    }
    const used = process.cpuUsage(before);
    samples.push({ cpuMs: (used.user + used.system) / 1000, systemMs: used.system / 1000, wallMs: performance.now() - wallStarted, status, word, error });
  }
  process.send(samples, () => process.exit(0));
});
`;
