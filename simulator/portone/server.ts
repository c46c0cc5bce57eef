import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleApi } from './api-routes';
import { CHECKOUT_PREFIX, handleCheckout, SDK_PATH, serveSdk } from './checkout/checkout-routes';
import { SimulatorControl } from './control-client';
import { handleControl } from './control-routes';
import { sendEnvelope } from './http-util';
import { SimulatorState } from './state';
import type { WebhookFormat } from './types';
import { handleV2Api, V2_PREFIX } from './v2/api-routes';
import {
  handleV2Checkout,
  serveV2Sdk,
  V2_CHECKOUT_PREFIX,
  V2_SDK_PATH,
} from './v2/checkout-routes';
import { handleV2Control, V2_CONTROL_PREFIX } from './v2/control-routes';

/**
 * Extra routes served by the same server, tried before the PortOne API (the
 * dev stack's checkout page, for instance). Resolve true when handled.
 */
export type ExtraRoutes = (
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  state: SimulatorState,
) => boolean | Promise<boolean>;

export interface SimulatorOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 'imp_apikey' (PortOne's public demo key). */
  apiKey?: string;
  apiSecret?: string;
  /** Where notifications go unless a call names another URL; settable via /__sim/config. */
  webhookUrl?: string;
  /** Default 'json'. */
  webhookFormat?: WebhookFormat;
  /** No request logging on stdout. */
  quiet?: boolean;
  /** Delay before every PortOne API answer, e.g. 30 for a realistic round trip; default 0. Settable via /__sim/latency. */
  latencyMs?: number;
  routes?: ExtraRoutes;
  /** The secret V2 calls must send as `Authorization: PortOne <secret>`; default DEFAULT_V2_API_SECRET. */
  v2ApiSecret?: string;
  /** Signs V2 webhooks; default DEFAULT_V2_WEBHOOK_SECRET (the SDK's test secret). Settable via /__sim/v2/config. */
  v2WebhookSecret?: string;
  /** Where V2 webhooks go; settable via /__sim/v2/config. */
  v2WebhookUrl?: string;
  /** The store id of V2 payments; default DEFAULT_V2_STORE_ID. */
  v2StoreId?: string;
  /**
   * The first automatic re-send's nominal delay (then ×4 each), default 60000
   * as PortOne; a few ms makes re-sends testable. Settable via /__sim/v2/config.
   */
  v2WebhookRetryBaseMs?: number;
}

export interface RunningSimulator {
  /** Base URL to use as PORTONE_API_URL, e.g. http://127.0.0.1:54321 */
  url: string;
  /** Base URL of the V2 API (PORTONE_V2_API_URL), e.g. http://127.0.0.1:54321/v2-api */
  v2Url: string;
  port: number;
  close(): Promise<void>;
  control: SimulatorControl;
  /** In-process access to the simulator's state (same process only). */
  state: SimulatorState;
}

const CONTROL_PREFIX = '/__sim/';

export async function startPortOneSimulator(
  options: SimulatorOptions = {},
): Promise<RunningSimulator> {
  const state = new SimulatorState(options);
  const host = options.host ?? '127.0.0.1';

  const server = createServer((req, res) => {
    dispatch(state, options.routes, req, res).catch((error: unknown) => {
      state.log(`internal error: ${error instanceof Error ? error.stack : String(error)}`);
      if (!res.headersSent) sendEnvelope(res, 500, -1, 'simulator internal error', null);
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= (async () => {
      await state.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    })();
    return closed;
  };

  return {
    url,
    v2Url: `${url}${V2_PREFIX}`,
    port,
    close,
    control: new SimulatorControl(url),
    state,
  };
}

async function dispatch(
  state: SimulatorState,
  routes: ExtraRoutes | undefined,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://simulator.local');
  if (url.pathname.startsWith(CONTROL_PREFIX)) {
    // Control calls may come from a browser page of the dev stack.
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-methods', 'GET, POST, PUT, DELETE, OPTIONS');
    res.setHeader('access-control-allow-headers', 'content-type');
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    if (url.pathname.startsWith(CHECKOUT_PREFIX)) await handleCheckout(state, req, res, url);
    else if (url.pathname.startsWith(V2_CHECKOUT_PREFIX))
      await handleV2Checkout(state, req, res, url);
    else if (url.pathname.startsWith(V2_CONTROL_PREFIX))
      await handleV2Control(state, req, res, url);
    else await handleControl(state, req, res, url);
    return;
  }
  // The checkout simulator's stand-in for https://cdn.iamport.kr/v1/iamport.js.
  if (url.pathname === SDK_PATH && (req.method === 'GET' || req.method === 'HEAD')) {
    serveSdk(req, res);
    return;
  }
  // The stand-in for @portone/browser-sdk/v2 (global PortOne.requestPayment).
  if (url.pathname === V2_SDK_PATH && (req.method === 'GET' || req.method === 'HEAD')) {
    serveV2Sdk(req, res);
    return;
  }
  if (routes !== undefined && (await routes(req, res, url, state))) return;
  if (url.pathname === V2_PREFIX || url.pathname.startsWith(`${V2_PREFIX}/`)) {
    await handleV2Api(state, req, res, url);
    return;
  }
  await handleApi(state, req, res, url);
}
