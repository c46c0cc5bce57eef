import { CPU_P50_TARGET_MS, type CpuResults, cpuRow } from './cpu';
import { type Cell, n, table } from './format';
import { ROUTES } from './workload';

/** Section 10: CPU per warm event in the handler (issue 15 item 2). */
export const cpuSection = (r: { cpu: CpuResults }): string => {
  const rows: Cell[][] = ROUTES.flatMap((route) =>
    (
      [
        ['ours', 'v1'],
        ['ours', 'v2'],
        ['baseline', 'v1'],
      ] as const
    ).map(([system, api]) => {
      const row = cpuRow(r.cpu, system, api, route);
      return row
        ? [
            route,
            `${system} ${api.toUpperCase()}`,
            `${n(row.cpuMs.mean)} / ${n(row.cpuMs.p50)} / ${n(row.cpuMs.p99)}`,
            n(row.systemMs.p50),
            `${n(row.wallMs.p50)} / ${n(row.waitMs.p50)}`,
          ]
        : [route, `${system} ${api.toUpperCase()}`, '-', '-', '-'];
    }),
  );
  for (const [route, label] of [
    ['webhook', "limit's work alone"],
    ['complete', "limit's work with the read"],
  ] as const) {
    const limit = cpuRow(r.cpu, 'limit', 'v1', route);
    if (!limit) continue;
    rows.push([
      route === 'webhook' ? 'webhook' : 'complete, redirect',
      label,
      `${n(limit.cpuMs.mean)} / ${n(limit.cpuMs.p50)} / ${n(limit.cpuMs.p99)}`,
      n(limit.systemMs.p50),
      `${n(limit.wallMs.p50)} / ${n(limit.waitMs.p50)}`,
    ]);
  }
  return [
    `10. CPU per warm event in the handler, ms (process.cpuUsage around each handler call; target p50 <= ${CPU_P50_TARGET_MS} ms)`,
    `  Each function's production bundle in a process of its own, DynamoDB Local and the simulator in theirs, PortOne at ${r.cpu.latencyMs} ms;`,
    `  ${r.cpu.events} fresh paid orders per process after ${r.cpu.warmup} discarded; logs at INFO as deployed, to /dev/null.`,
    "  The limit's work alone: one PortOne lookup over the deployed HTTP client and one conditional UpdateItem through a bare",
    '  DynamoDBClient, bundled as ours (bench/cpu-limit-handler.ts), and the same after the GetItem the browser routes make:',
    '  the CPU floors under our routes with the AWS SDK on this machine.',
    table(
      ['route', 'system', 'CPU mean / p50 / p99', 'of it kernel, p50', 'wall / waits p50'],
      rows,
      'llrrr',
    ),
  ].join('\n');
};
