import { type Cell, n, table } from './format';
import { LAMBDA_FULL_VCPU_MB, MEMORY_CHOICES_MB, MEMORY_P99_FACTOR } from './lambda-model';
import { LIMIT_FACTOR } from './limit-summary';
import type { BenchResults } from './results';
import { ROUTES } from './workload';

const pair = (s: { p50: number; p99: number }) => `${n(s.p50)} / ${n(s.p99)}`;

/** The limit, ours against it, and the memory each function gets (issue 15 items 1 and 3). */
export const limitSection = (r: BenchResults): string => {
  const parts: Cell[][] = Object.entries(r.limit.byLatency).map(([ms, l]) => [
    `${ms} ms`,
    l.iterations,
    pair(l.portone),
    pair(l.updateItem),
    pair(l.limit),
    pair(l.getItem),
    pair(l.limitWithRead),
  ]);
  const at = r.limit.byLatency[`${r.limit.latencyMs}` as keyof BenchResults['limit']['byLatency']];
  const routes: Cell[][] = ROUTES.map((route) => {
    const x = r.limit.routes[route];
    return [
      route,
      pair(x.ours),
      pair(x.limit),
      `x${n(x.vsLimit.p50, 3)} / x${n(x.vsLimit.p99, 3)}`,
      `x${n(x.vsLimitWithRead.p50, 3)} / x${n(x.vsLimitWithRead.p99, 3)}`,
      `x${n(x.handlerVsLimit.p50, 3)} / x${n(x.handlerVsLimit.p99, 3)}`,
      pair(x.baseline),
    ];
  });
  const memory: Cell[][] = ROUTES.flatMap((route) => {
    const m = r.memory[route];
    return [
      [
        route,
        ...MEMORY_CHOICES_MB.map((mb) => {
          const at = m.byMb[`${mb}`];
          return at ? `${n(at.meanMs)} / ${n(at.p99Ms)} / $${n(at.costPerMillion, 2)}` : '-';
        }),
        `${m.chosenMb} MB`,
        `${m.stackMb} MB`,
      ],
    ];
  });
  const inputs = ROUTES.map((route) => {
    const { waitMs, cpuMs } = r.memory[route].figures;
    return `  ${route}: waits (PortOne, DynamoDB) ${n(waitMs.mean)} / ${n(waitMs.p99)}, CPU ${n(cpuMs.mean)} / ${n(cpuMs.p99)} ms (mean / p99); ${r.memory[route].reason}`;
  });
  return [
    '8. Against the physical limit, ms p50 / p99: one PortOne lookup from this process to the simulator (node:http',
    '   kept alive, the deployed HTTP client) and one conditional UpdateItem of an order item through a bare DynamoDBClient on the',
    '   same DynamoDB Local, each timed, summed per iteration; "with read": the GetItem complete and redirect make first;',
    "   measured in one slice right before ours' block of each route, all slices here:",
    table(
      ['PortOne', 'iterations', 'lookup', 'UpdateItem', 'limit', 'GetItem', 'limit with read'],
      parts,
      'lrrrrrr',
    ),
    `Ours through the local HTTP API at ${r.limit.latencyMs} ms (target: p50 and p99 within ${LIMIT_FACTOR}x of the limit, all slices ${n(at.limit.p50)} / ${n(at.limit.p99)} ms;`,
    "   the baseline's round trips for context):",
    table(
      [
        'route',
        'ours p50 / p99',
        'limit before it',
        'ours / limit',
        'ours / limit with read',
        'in handler / limit',
        'baseline p50 / p99',
      ],
      routes,
      'lrrrrrr',
    ),
    '"limit before it": the limit\'s slice measured right before ours\' block of the route, which it is judged against;',
    '"in handler": ours\' time inside the handler (section 2), without the HTTP hop through the local API adapter',
    "   that ours' round trip adds and the limit, made from this process, does not have.",
    '',
    `Modelled Lambda duration per warm invocation at ${r.limit.latencyMs} ms PortOne: mean / p99 ms / $ per million invocations`,
    `   (duration at arm64 list price + requests). Waits (wall minus CPU, section 10) as measured, CPU x ${LAMBDA_FULL_VCPU_MB} / MB`,
    "   (Lambda gives one vCPU at 1,769 MB; this machine's core is taken as one Lambda vCPU); p99 = sum of the parts' p99s.",
    `   Chosen: the cheapest size with modelled p99 <= ${MEMORY_P99_FACTOR} x the limit's p99 (${n(at.limit.p99 * MEMORY_P99_FACTOR)} ms).`,
    table(
      ['function', ...MEMORY_CHOICES_MB.map((mb) => `${mb} MB`), 'chosen', 'lib/memory.ts'],
      memory,
      'lrrrrr',
    ),
    `Inputs (CPU: ${r.memory.webhook.cpuSource}) and reasons:`,
    ...inputs,
  ].join('\n');
};
