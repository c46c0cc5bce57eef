/**
 * For issue 15 item 2's choice of PortOne transport: the CPU one PortOne
 * lookup (GET /payments/{imp_uid}, its JSON read as text) costs the client
 * through each candidate, each in a fresh process of its own against the
 * simulator: the global `fetch` (Node's bundled undici), the `undici`
 * package's `request` on a keep-alive Pool, and node:http with a keep-alive
 * Agent. Also each one's import cost, since a Lambda pays that at every
 * cold start. `npx tsx bench/transport-cpu.ts` (TRANSPORT_CALLS=N, default 500).
 */
import { spawn } from 'node:child_process';
import { DEFAULT_API_KEY, DEFAULT_API_SECRET } from '../simulator/portone/defaults';
import { REPO_ROOT } from './bundles';
import { startSimulatorProcess } from './simulator-process';
import { type Summary, summarize } from './stats';

export const TRANSPORTS = ['fetch', 'undici-request', 'node-http'] as const;
export type TransportName = (typeof TRANSPORTS)[number];

/** How each candidate makes one GET and reads its body, in plain JavaScript. */
const CALLS: Record<TransportName, { setup: string; call: string }> = {
  fetch: {
    setup: '',
    call: `const r = await fetch(url, { headers, signal: AbortSignal.timeout(5000), redirect: 'error' });
      status = r.status; text = await r.text();`,
  },
  'undici-request': {
    setup: `const { Pool } = require('undici'); const pool = new Pool(new URL(url).origin, { connections: 8 });`,
    call: `const r = await pool.request({ path: new URL(url).pathname, method: 'GET', headers, signal: AbortSignal.timeout(5000) });
      status = r.statusCode; text = await r.body.text();`,
  },
  'node-http': {
    setup: `const http = require('node:http'); const agent = new http.Agent({ keepAlive: true });
      const get = () => new Promise((resolve, reject) => {
        const req = http.request(url, { method: 'GET', headers, agent, signal: AbortSignal.timeout(5000) }, (res) => {
          res.setEncoding('utf8'); let body = ''; res.on('data', (c) => (body += c));
          res.on('end', () => resolve([res.statusCode, body])); res.on('error', reject);
        });
        req.on('error', reject); req.end();
      });`,
    call: `[status, text] = await get();`,
  },
};

const script = (
  name: TransportName,
  url: string,
  authorization: string,
  calls: number,
  warmup: number,
) => `
const importStarted = performance.now();
const url = ${JSON.stringify(url)};
const headers = { accept: 'application/json', authorization: ${JSON.stringify(authorization)} };
${CALLS[name].setup}
const importMs = performance.now() - importStarted;
(async () => {
  const cpu = [];
  for (let i = 0; i < ${calls + warmup}; i++) {
    let status, text;
    const before = process.cpuUsage();
    ${CALLS[name].call}
    const used = process.cpuUsage(before);
    if (status !== 200 || !text.includes('imp_uid')) throw new Error('answer ' + status);
    if (i >= ${warmup}) cpu.push((used.user + used.system) / 1000);
  }
  process.send({ cpu, importMs }, () => process.exit(0));
})().catch((e) => { console.error(e); process.exit(1); });
`;

export interface TransportCpu {
  name: TransportName;
  /** CPU ms per lookup in the client process. */
  cpuMs: Summary;
  /** ms to load and set the client up in a fresh process (require included). */
  setupMs: number;
}

const runOne = (source: string): Promise<{ cpu: number[]; importMs: number }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', source], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    let answer: { cpu: number[]; importMs: number } | null = null;
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    child.on('message', (m) => (answer = m as typeof answer));
    child.on('close', (code) =>
      answer ? resolve(answer) : reject(new Error(`transport worker exited ${code}: ${stderr}`)),
    );
  });

/** Each candidate `rounds` times in turn (so that machine noise falls on all), pooled. */
export const measureTransports = async (
  simulatorUrl: string,
  paymentUrl: string,
  authorization: string,
  calls: number,
  rounds = 3,
): Promise<TransportCpu[]> => {
  void simulatorUrl;
  const samples = new Map<TransportName, { cpu: number[]; setup: number[] }>(
    TRANSPORTS.map((t) => [t, { cpu: [], setup: [] }]),
  );
  for (let round = 0; round < rounds; round++) {
    for (const name of TRANSPORTS) {
      const got = await runOne(script(name, paymentUrl, authorization, calls, 50));
      samples.get(name)?.cpu.push(...got.cpu);
      samples.get(name)?.setup.push(got.importMs);
    }
  }
  return TRANSPORTS.map((name) => {
    const s = samples.get(name) as { cpu: number[]; setup: number[] };
    return { name, cpuMs: summarize(s.cpu), setupMs: summarize(s.setup).p50 };
  });
};

/** A paid payment at the simulator and a token for it: what each candidate looks up. */
export const transportTarget = async (
  simulatorUrl: string,
  createPayment: () => Promise<string>,
) => {
  const response = await fetch(`${simulatorUrl}/users/getToken`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ imp_key: DEFAULT_API_KEY, imp_secret: DEFAULT_API_SECRET }),
  });
  const { response: token } = (await response.json()) as { response: { access_token: string } };
  const impUid = await createPayment();
  return {
    url: `${simulatorUrl}/payments/${encodeURIComponent(impUid)}`,
    authorization: `Bearer ${token.access_token}`,
  };
};

const main = async () => {
  const simulator = await startSimulatorProcess();
  try {
    await simulator.control.setLatency(0);
    const target = await transportTarget(simulator.url, async () => {
      const p = await simulator.control.createPayment({
        merchant_uid: `transport-${Date.now()}`,
        amount: 1000,
        state: 'paid',
        pay_method: 'card',
      });
      return p.imp_uid;
    });
    const results = await measureTransports(
      simulator.url,
      target.url,
      target.authorization,
      Number(process.env.TRANSPORT_CALLS ?? 500),
    );
    for (const r of results) {
      console.log(
        `${r.name.padEnd(15)} cpu per lookup mean ${r.cpuMs.mean.toFixed(3)} p50 ${r.cpuMs.p50.toFixed(3)} p99 ${r.cpuMs.p99.toFixed(3)} ms; set-up ${r.setupMs.toFixed(1)} ms`,
      );
    }
  } finally {
    await simulator.stop();
  }
};

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
