/**
 * What the bench's own HTTP client adds to a measured round trip: webhook
 * deliveries to ours at 30 ms PortOne, alternating between Node's `fetch`
 * and bench/http-client.ts (node:http kept alive), each timed end to end
 * and minus the handler's own time; what is left is the hop (client,
 * loopback, the local API adapter). `npx tsx bench/client-hop.ts`
 * (CLIENT_HOP_EVENTS, default 300, the first 20 discarded).
 */
import { type Answer, send } from './http-client';
import { type BenchStack, startBenchStack } from './stack';
import { summarize } from './stats';
import { type PaidOrder, preparePaidOrders } from './workload';

const WARMUP = 20;

const viaFetch = async (url: string, body: string): Promise<Answer> => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  return { status: response.status, body: await response.text(), location: null };
};

const viaNodeHttp = (url: string, body: string): Promise<Answer> =>
  send(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

const CLIENTS = { fetch: viaFetch, 'node:http': viaNodeHttp };
type ClientName = keyof typeof CLIENTS;

const measure = async (stack: BenchStack, orders: PaidOrder[]) => {
  const hops: Record<ClientName, number[]> = { fetch: [], 'node:http': [] };
  const names = Object.keys(CLIENTS) as ClientName[];
  for (const [i, order] of orders.entries()) {
    const name = names[i % names.length] as ClientName;
    const body = JSON.stringify({
      imp_uid: order.impUid,
      merchant_uid: order.merchantUid,
      status: 'paid',
    });
    stack.ours.handlerTimes.durations.length = 0;
    const started = performance.now();
    const answer = await CLIENTS[name](`${stack.ours.url}/payments/webhook`, body);
    const ms = performance.now() - started;
    if (answer.status !== 200) throw new Error(`webhook answered ${answer.status}: ${answer.body}`);
    const inHandler = stack.ours.handlerTimes.durations[0];
    if (i >= WARMUP && inHandler !== undefined) hops[name].push(ms - inHandler);
  }
  return hops;
};

const main = async () => {
  process.env.AWS_EC2_METADATA_DISABLED ??= 'true';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const stack = await startBenchStack();
  try {
    const orders = await preparePaidOrders(
      stack.ours,
      stack.simulator,
      Number(process.env.CLIENT_HOP_EVENTS ?? 300),
    );
    await stack.simulator.setLatency(30);
    const hops = await measure(stack, orders);
    console.log(
      'client      events  hop mean / p50 / p99 ms (round trip minus time in the handler)',
    );
    for (const [name, values] of Object.entries(hops)) {
      const s = summarize(values);
      console.log(
        `${name.padEnd(10)} ${String(values.length).padStart(7)}  ${s.mean.toFixed(2)} / ${s.p50.toFixed(2)} / ${s.p99.toFixed(2)}`,
      );
    }
  } finally {
    await stack.stop();
  }
};

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
