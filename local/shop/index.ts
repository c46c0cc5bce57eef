import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { bundleShopScriptsSync, type ShopScripts } from './bundle';
import { langOf } from './i18n';
import { createShopOrder, readShopOrder, sendJson } from './orders';
import { type PageConfig, renderResultPage, renderShopPage } from './pages';
import { webhookDeliveries } from './simulator-demo';

export interface ShopOptions {
  /** Our API's origin, e.g. http://127.0.0.1:3000 (the same server locally). */
  apiBase: string;
  /** The PortOne JS SDK: the simulator's `${sim}/v1/iamport.js`, or https://cdn.iamport.kr/v1/iamport.js */
  sdkScriptUrl: string;
  /** IMP.init code, e.g. 'imp00000000'. */
  impCode: string;
  /** PortOne V2 for the shop's V1/V2 switch; null or absent: V1 only. */
  v2?: ShopV2Options | null;
  /** The PortOne simulator's base URL when running against it, else null. */
  simulatorUrl: string | null;
  /** The page scripts, already bundled (bundleShopScripts()); bundled now when absent. */
  scripts?: ShopScripts;
}

export interface ShopV2Options {
  /** The V2 browser SDK: the simulator's `${sim}/v2-browser-sdk.js`, or https://cdn.portone.io/v2/browser-sdk.js */
  sdkScriptUrl: string;
  storeId: string;
  channelKey: string;
}

type Pages = (request: IncomingMessage, response: ServerResponse) => boolean;

/** Plain assets, read once at startup. */
const ASSETS: Record<string, { file: string; type: string }> = {
  '/shop/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
};
const SCRIPT_TYPE = 'text/javascript; charset=utf-8';

export const ASSET_DIR = join(__dirname, 'assets');

/**
 * The demo shop of the local stack (docs/design.md §6), for the API server's
 * `pages` hook: the product page (`GET /`), its backend (`POST /shop/orders`),
 * the result page (`GET /result`, RESULT_PAGE_URL) and their assets. Answers
 * false for every other request.
 */
export function createShopPages(options: ShopOptions): Pages {
  const api = new URL(options.apiBase);
  const apiBase = `${api.origin}${api.pathname.replace(/\/+$/, '')}`;
  const simulatorUrl = options.simulatorUrl?.replace(/\/+$/, '') ?? null;
  // The page scripts are browser/*.ts, bundled here (bundle.ts) and served from memory.
  const assets = new Map<string, { body: string | Buffer; type: string }>([
    ...Object.entries(ASSETS).map(
      ([path, asset]) =>
        [path, { body: readFileSync(join(ASSET_DIR, asset.file)), type: asset.type }] as const,
    ),
    ...[...(options.scripts ?? bundleShopScriptsSync()).scripts].map(
      ([path, body]) => [path, { body, type: SCRIPT_TYPE }] as const,
    ),
  ]);
  const configFor = (page: PageConfig['page'], url: URL): PageConfig => ({
    page,
    lang: langOf(url.searchParams.get('lang')),
    apiBase,
    impCode: options.impCode,
    v2: options.v2 ? { storeId: options.v2.storeId, channelKey: options.v2.channelKey } : null,
    simulatorUrl: simulatorUrl,
  });

  return (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = request.method ?? 'GET';
    const get = method === 'GET' || method === 'HEAD';

    if (get && (url.pathname === '/' || url.pathname === '/result')) {
      const canonical = canonicalLocation(request, api);
      if (canonical) {
        response.writeHead(302, { location: canonical, 'cache-control': 'no-store' });
        response.end();
        return true;
      }
      const html =
        url.pathname === '/'
          ? renderShopPage(configFor('shop', url), [
              options.sdkScriptUrl,
              ...(options.v2 ? [options.v2.sdkScriptUrl] : []),
            ])
          : renderResultPage(configFor('result', url), url.searchParams.get('merchant_uid'));
      send(response, method, 200, 'text/html; charset=utf-8', html);
      return true;
    }

    const asset = get ? assets.get(url.pathname) : undefined;
    if (asset) {
      send(response, method, 200, asset.type, asset.body);
      return true;
    }

    // On the simulator, the webhook deliveries it logged for an order (simulator-demo.ts).
    const webhooksOf = /^\/shop\/webhooks\/([^/]+)$/.exec(url.pathname);
    if (get && webhooksOf?.[1]) {
      let merchantUid: string;
      try {
        merchantUid = decodeURIComponent(webhooksOf[1]);
      } catch {
        sendJson(response, 400, { message: 'malformed merchant_uid' });
        return true;
      }
      (simulatorUrl ? webhookDeliveries(simulatorUrl, merchantUid) : Promise.resolve(null)).then(
        (deliveries) => sendJson(response, 200, { deliveries }),
        () => sendJson(response, 502, { message: 'the simulator is unreachable' }),
      );
      return true;
    }

    const shopOrder = /^\/shop\/orders\/([^/]+)$/.exec(url.pathname);
    if (get && shopOrder?.[1]) {
      readShopOrder(response, apiBase, shopOrder[1]).catch(() => {
        if (!response.headersSent) sendJson(response, 500, { message: 'the shop failed' });
        else response.end();
      });
      return true;
    }

    if (method === 'POST' && url.pathname === '/shop/orders') {
      createShopOrder(request, response, apiBase, simulatorUrl).catch(() => {
        if (!response.headersSent) sendJson(response, 500, { message: 'the shop failed' });
        else response.end();
      });
      return true;
    }
    return false;
  };
}

const send = (
  response: ServerResponse,
  method: string,
  status: number,
  type: string,
  body: string | Buffer,
): void => {
  response.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  response.end(method === 'HEAD' ? undefined : body);
};

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The pages call the API at `apiBase`, which allows CORS only for its own
 * origin; and m_redirect_url and RESULT_PAGE_URL point there too. A browser
 * on another loopback name for the same server (localhost vs 127.0.0.1) is
 * sent to that origin, so that everything stays same-origin.
 */
const canonicalLocation = (request: IncomingMessage, api: URL): string | null => {
  const host = request.headers.host;
  if (!host) return null;
  let seen: URL;
  try {
    seen = new URL(`http://${host}`);
  } catch {
    return null;
  }
  if (seen.host === api.host) return null;
  if (seen.port !== api.port || !LOOPBACK.has(seen.hostname) || !LOOPBACK.has(api.hostname)) {
    return null;
  }
  return `${api.origin}${request.url ?? '/'}`;
};
