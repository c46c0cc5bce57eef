import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bundleShopScriptsSync } from '../../../../local/shop/bundle';
import { CATALOG } from '../../../../local/shop/catalog';
import { ASSET_DIR, createShopPages, type ShopOptions } from '../../../../local/shop/index';

/** A stand-in for our API: records POST /orders bodies and serves GET /orders/{id}. */
interface FakeApi {
  url: string;
  registered: Record<string, unknown>[];
  /** The next POST /orders answers this instead of 201. */
  failNext: { status: number; body: unknown } | null;
  /** merchant_uids that asked POST /orders/{merchant_uid}/payments for a V2 payment id. */
  paymentIdsFor: string[];
  /** The next POST /orders/{merchant_uid}/payments answers this instead of 201. */
  failNextPaymentId: { status: number; body: unknown } | null;
  close(): Promise<void>;
}

const listen = async (server: Server): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

const closeServer = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

const readJson = async (req: IncomingMessage): Promise<Record<string, unknown>> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
};

const startFakeApi = async (): Promise<FakeApi> => {
  const api: Omit<FakeApi, 'url' | 'close'> = {
    registered: [],
    failNext: null,
    paymentIdsFor: [],
    failNextPaymentId: null,
  };
  const server = createServer(async (req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'POST' && req.url === '/orders') {
      const body = await readJson(req);
      if (api.failNext) {
        const { status, body: answer } = api.failNext;
        api.failNext = null;
        return send(status, answer);
      }
      api.registered.push(body);
      return send(201, { ...body, status: 'pending', final: false });
    }
    const issuing = /^\/orders\/([^/]+)\/payments$/.exec(req.url ?? '')?.[1];
    if (req.method === 'POST' && issuing) {
      if (api.failNextPaymentId) {
        const { status, body: answer } = api.failNextPaymentId;
        api.failNextPaymentId = null;
        return send(status, answer);
      }
      api.paymentIdsFor.push(issuing);
      return send(201, { payment_id: `${issuing}.abcdefghij012345`, merchant_uid: issuing });
    }
    const id = /^\/orders\/([^/]+)$/.exec(req.url ?? '')?.[1];
    const order = api.registered.find((o) => o.merchant_uid === id);
    if (req.method === 'GET' && order) return send(200, { ...order, status: 'pending' });
    send(404, { status: 'not_found', message: 'no such order' });
  });
  const url = await listen(server);
  return Object.assign(api, { url, close: () => closeServer(server) });
};

/** Starts a server whose only routes are the shop's (404 when it answers false). */
const startShop = async (options: ShopOptions) => {
  const pages = createShopPages(options);
  const fellThrough: string[] = [];
  const server = createServer((req, res) => {
    if (pages(req, res)) return;
    fellThrough.push(`${req.method} ${req.url}`);
    res.writeHead(404).end('fell through');
  });
  const url = await listen(server);
  return { url, fellThrough, close: () => closeServer(server) };
};

let api: FakeApi;
let shop: Awaited<ReturnType<typeof startShop>>;
let options: ShopOptions;

beforeAll(async () => {
  api = await startFakeApi();
  options = {
    apiBase: api.url,
    sdkScriptUrl: 'http://127.0.0.1:9/v1/iamport.js',
    impCode: 'imp00000000',
    simulatorUrl: 'http://127.0.0.1:9',
  };
  shop = await startShop(options);
});
afterAll(async () => {
  await shop?.close();
  await api?.close();
});
afterEach(() => {
  api.registered.length = 0;
  api.failNext = null;
  api.paymentIdsFor.length = 0;
  api.failNextPaymentId = null;
});

const postOrder = (body: unknown) =>
  fetch(`${shop.url}/shop/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

/** The `window.SHOP = …;` object of a served page, evaluated as the browser would. */
const shopConfigOf = (html: string): Record<string, unknown> => {
  // Exactly one inline configuration script per page.
  const matches = [...html.matchAll(/<script>window\.SHOP = ([\s\S]*?);<\/script>/g)];
  expect(matches).toHaveLength(1);
  return JSON.parse(matches[0]?.[1] ?? 'null');
};

describe('GET / (the product page)', () => {
  it('serves HTML with both pay buttons, the pay-method choice, the products and the SDK script', async () => {
    const response = await fetch(`${shop.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('data-testid="pay"');
    expect(html).toContain('data-testid="pay-mobile"');
    expect(html).toMatch(/<select[^>]*data-testid="pay-method"/);
    expect(html).toContain('value="card"');
    expect(html).toContain('value="vbank"');
    expect(html).toContain('<script src="http://127.0.0.1:9/v1/iamport.js"></script>');
    for (const product of CATALOG) expect(html).toContain(`data-product="${product.id}"`);
    expect(html).toMatch(/class="product selected" data-product="[^"]+" aria-pressed="true"/);
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/(src|href)="https?:\/\/(?!127\.0\.0\.1)/);
  });

  it('is in Korean by default and carries the English texts for the toggle', async () => {
    const html = await (await fetch(`${shop.url}/`)).text();
    expect(html).toContain('<html lang="ko">');
    expect(html).toContain('>결제하기</button>');
    expect(html).toContain('>모바일 결제</button>');
    expect(html).toContain('15,000원');
    const config = shopConfigOf(html) as { i18n: Record<string, Record<string, string>> };
    expect(config.i18n.en?.pay).toBe('Pay');
    expect(config.i18n.en?.['pay.mobile']).toBe('Pay on mobile');
    expect(Object.keys(config.i18n.en ?? {}).sort()).toEqual(
      Object.keys(config.i18n.ko ?? {}).sort(),
    );
  });

  it('renders English with ?lang=en', async () => {
    const html = await (await fetch(`${shop.url}/?lang=en`)).text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('>Pay</button>');
    expect(html).toContain('>Pay on mobile</button>');
    expect(html).toContain('₩15,000');
  });

  it('hands the page its options as window.SHOP', async () => {
    const config = shopConfigOf(await (await fetch(`${shop.url}/`)).text());
    expect(config).toMatchObject({
      apiBase: api.url,
      impCode: 'imp00000000',
      simulatorUrl: 'http://127.0.0.1:9',
    });
  });
});

describe('injected configuration', () => {
  const hostile = '</script><script>window.pwned=1</script><!--';
  let hostileShop: Awaited<ReturnType<typeof startShop>>;
  beforeAll(async () => {
    hostileShop = await startShop({
      apiBase: api.url,
      sdkScriptUrl: `http://127.0.0.1:9/iamport.js?x="><script>window.pwned=2</script>`,
      impCode: hostile,
      simulatorUrl: `http://127.0.0.1:9/${hostile}`,
    });
  });
  afterAll(() => hostileShop?.close());

  it.each(['/', '/result?merchant_uid=</script><script>x=1</script>'])(
    'cannot break out of the page (%s)',
    async (path) => {
      const html = await (await fetch(`${hostileShop.url}${path}`)).text();
      expect(html).not.toContain('<script>window.pwned');
      expect(html).not.toContain('<script>x=1');
      expect(html).not.toContain('<!--');
      // Exactly the page's own script elements: config, (SDK), common, page script.
      const scripts = html.match(/<script\b/g) ?? [];
      expect(scripts).toHaveLength(path === '/' ? 4 : 3);
      const config = shopConfigOf(html);
      expect(config.impCode).toBe(hostile);
      expect(config.simulatorUrl).toBe(`http://127.0.0.1:9/${hostile}`);
      // The inline script is a valid program that yields the same object.
      const inline = /<script>(window\.SHOP = [\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
      const window: { SHOP?: unknown } = {};
      new Function('window', inline)(window);
      expect(window.SHOP).toEqual(config);
    },
  );
});

describe('POST /shop/orders', () => {
  it('registers the catalog price with POST /orders, whatever amount the body claims', async () => {
    const product = CATALOG[0];
    const response = await postOrder({ product_id: product?.id, amount: 100, name: 'free coffee' });
    expect(response.status).toBe(201);
    const order = (await response.json()) as { merchant_uid: string; amount: number; name: string };
    expect(order).toEqual({
      merchant_uid: expect.stringMatching(/^shop-[a-z0-9]+-[a-z0-9]+$/),
      amount: product?.price,
      name: product?.name.ko,
    });
    expect(order.merchant_uid.length).toBeLessThanOrEqual(40);
    expect(api.registered).toEqual([
      {
        merchant_uid: order.merchant_uid,
        amount: product?.price,
        currency: 'KRW',
        name: product?.name.ko,
      },
    ]);
  });

  it('makes a new merchant_uid for every order', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const order = (await (await postOrder({ product_id: 'drip-bag-10' })).json()) as {
        merchant_uid: string;
      };
      ids.add(order.merchant_uid);
    }
    expect(ids.size).toBe(5);
  });

  it('rejects an unknown product with 404 and registers nothing', async () => {
    const response = await postOrder({ product_id: 'gold-bar', amount: 1 });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: expect.stringContaining('gold-bar') });
    expect(api.registered).toEqual([]);
  });

  it.each([
    ['no product_id', { amount: 15000 }],
    ['a product_id that is not a string', { product_id: 1 }],
    ['a body that is not JSON', '{product_id:'],
    ['a JSON array', '[]'],
  ])('rejects %s with 400', async (_, body) => {
    const response = await postOrder(body);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ message: expect.any(String) });
    expect(api.registered).toEqual([]);
  });

  it('rejects a body over 16 KiB with 413', async () => {
    const response = await postOrder({ product_id: 'x'.repeat(20_000) });
    expect(response.status).toBe(413);
  });

  it('answers 502 with the API message when POST /orders fails', async () => {
    api.failNext = { status: 502, body: { status: 'upstream_error', message: 'PortOne is down' } };
    const response = await postOrder({ product_id: CATALOG[1]?.id });
    expect(response.status).toBe(502);
    const body = (await response.json()) as { message: string };
    expect(body.message).toContain('PortOne is down');
    expect(body.message).toContain('502');
  });

  it('answers 502 when POST /orders refuses the order (e.g. 409 conflict)', async () => {
    api.failNext = {
      status: 409,
      body: { status: 'conflict', message: 'exists with other terms' },
    };
    const response = await postOrder({ product_id: CATALOG[1]?.id });
    expect(response.status).toBe(502);
    expect(((await response.json()) as { message: string }).message).toContain('409');
  });

  it('answers 502 when the API is unreachable', async () => {
    const deadApi = await startFakeApi();
    await deadApi.close();
    const lonely = await startShop({ ...options, apiBase: deadApi.url });
    try {
      const response = await fetch(`${lonely.url}/shop/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ product_id: CATALOG[0]?.id }),
      });
      expect(response.status).toBe(502);
      expect(((await response.json()) as { message: string }).message).toMatch(/unreachable/);
    } finally {
      await lonely.close();
    }
  });
});

describe('GET /result', () => {
  it('serves the result page with the status element, history, back link and its script', async () => {
    const response = await fetch(`${shop.url}/result?merchant_uid=shop-abc-123&status=success`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toMatch(/data-testid="order-status" data-status="" data-final="false"/);
    expect(html).toContain('data-testid="history"');
    expect(html).toContain('data-testid="not-found"');
    expect(html).toContain('href="/"');
    expect(html).toContain('<script src="/shop/result.js"></script>');
    expect(html).toContain('shop-abc-123');
    expect(html).not.toContain('iamport.js');
    expect(shopConfigOf(html)).toMatchObject({ page: 'result', apiBase: api.url });
  });

  it('serves a page without a merchant_uid too (the script shows the not-found state)', async () => {
    const response = await fetch(`${shop.url}/result?status=invalid_request`);
    expect(response.status).toBe(200);
  });
});

describe('assets', () => {
  it.each(['/shop/common.js', '/shop/shop.js', '/shop/result.js'])(
    '%s is served as JavaScript that parses',
    async (path) => {
      const response = await fetch(`${shop.url}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const source = await response.text();
      expect(() => new Function(source)).not.toThrow();
    },
  );

  it('serves the stylesheet', async () => {
    const response = await fetch(`${shop.url}/shop/app.css`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/css/);
    expect(await response.text()).toContain('.product');
  });

  it('serves the bundles of browser/*.ts and the stylesheet it ships, byte for byte', async () => {
    for (const [path, script] of bundleShopScriptsSync().scripts) {
      expect(await (await fetch(`${shop.url}${path}`)).text()).toBe(script);
    }
    const css = await (await fetch(`${shop.url}/shop/app.css`)).text();
    expect(css).toBe(readFileSync(join(ASSET_DIR, 'app.css'), 'utf8'));
  });

  it('uses no network resource other than the SDK (the machine may be offline)', () => {
    const sources = [
      readFileSync(join(ASSET_DIR, 'app.css'), 'utf8'),
      ...bundleShopScriptsSync().scripts.values(),
    ];
    expect(sources).toHaveLength(4);
    for (const source of sources) expect(source).not.toMatch(/https?:\/\/|@import|url\(/);
  });
});

describe('everything else', () => {
  it.each([
    ['GET', '/orders/x'],
    ['GET', '/payments/complete'],
    ['POST', '/'],
    ['GET', '/shop/orders'],
    ['GET', '/shop/nope.js'],
    ['GET', '/favicon.ico'],
    ['GET', '/resultx'],
    ['PUT', '/shop/orders'],
  ])('falls through: %s %s', async (method, path) => {
    shop.fellThrough.length = 0;
    const response = await fetch(`${shop.url}${path}`, { method });
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('fell through');
    expect(shop.fellThrough).toEqual([`${method} ${path}`]);
  });
});

describe('one origin for the whole flow', () => {
  /** GET with an explicit Host header (fetch does not let us set one). */
  const getWithHost = (url: string, host: string) =>
    new Promise<{ status: number; location: string | undefined }>((resolve, reject) => {
      const req = request(url, { headers: { host } }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, location: res.headers.location });
      });
      req.on('error', reject);
      req.end();
    });

  it('does not redirect when the API is another server', async () => {
    const port = new URL(shop.url).port;
    const page = await getWithHost(`${shop.url}/result?merchant_uid=a`, `localhost:${port}`);
    expect(page.status).toBe(200);
  });

  it('redirects localhost to 127.0.0.1 when both name the API server', async () => {
    const pages = createShopPages({ ...options, apiBase: 'http://127.0.0.1:3000' });
    const server = createServer((req, res) => {
      if (!pages(req, res)) res.writeHead(404).end();
    });
    const url = await listen(server);
    try {
      const moved = await getWithHost(
        `${url}/result?merchant_uid=a&status=success`,
        'localhost:3000',
      );
      expect(moved).toEqual({
        status: 302,
        location: 'http://127.0.0.1:3000/result?merchant_uid=a&status=success',
      });
      expect((await getWithHost(`${url}/`, '127.0.0.1:3000')).status).toBe(200);
      expect((await getWithHost(`${url}/`, 'shop.example:3000')).status).toBe(200);
    } finally {
      await closeServer(server);
    }
  });
});

describe('the V1/V2 switch', () => {
  const V2 = {
    sdkScriptUrl: 'http://127.0.0.1:9/v2-browser-sdk.js',
    storeId: 'store-00000000-0000-0000-0000-000000000000',
    channelKey: 'channel-key-demo-shop',
  };
  let v2Shop: Awaited<ReturnType<typeof startShop>>;
  beforeAll(async () => {
    v2Shop = await startShop({ ...options, v2: V2 });
  });
  afterAll(() => v2Shop?.close());

  const postV2Order = (body: unknown) =>
    fetch(`${v2Shop.url}/shop/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('starts on V2 and loads both SDKs when V2 is configured', async () => {
    const html = await (await fetch(`${v2Shop.url}/`)).text();
    expect(html).toMatch(/data-testid="api-v2" aria-pressed="true"/);
    expect(html).toMatch(/data-testid="api-v1" aria-pressed="false"/);
    expect(html).toContain('<script src="http://127.0.0.1:9/v1/iamport.js"></script>');
    expect(html).toContain('<script src="http://127.0.0.1:9/v2-browser-sdk.js"></script>');
    expect(shopConfigOf(html)).toMatchObject({
      v2: { storeId: V2.storeId, channelKey: V2.channelKey },
    });
  });

  it('starts on V1, with V2 disabled, when V2 is not configured', async () => {
    const html = await (await fetch(`${shop.url}/`)).text();
    expect(html).toMatch(/data-testid="api-v1" aria-pressed="true"/);
    expect(html).toMatch(/data-testid="api-v2" aria-pressed="false" disabled/);
    expect(html).not.toContain('v2-browser-sdk.js');
    expect(shopConfigOf(html)).toMatchObject({ v2: null });
  });

  it('asks the API for a V2 payment id after registering the order, for api "v2"', async () => {
    const response = await postV2Order({ product_id: CATALOG[0]?.id, api: 'v2' });
    expect(response.status).toBe(201);
    const order = (await response.json()) as Record<string, unknown>;
    expect(api.registered.map((o) => o.merchant_uid)).toEqual([order.merchant_uid]);
    expect(api.paymentIdsFor).toEqual([order.merchant_uid]);
    expect(order.payment_id).toBe(`${order.merchant_uid}.abcdefghij012345`);
  });

  it('asks for no payment id for V1, the default', async () => {
    const response = await postV2Order({ product_id: CATALOG[0]?.id });
    expect(response.status).toBe(201);
    expect(await response.json()).not.toHaveProperty('payment_id');
    expect(api.paymentIdsFor).toEqual([]);
  });

  it('answers 502 with the API message when no payment id can be had', async () => {
    api.failNextPaymentId = { status: 503, body: { status: 'not_configured', message: 'no V2' } };
    const response = await postV2Order({ product_id: CATALOG[0]?.id, api: 'v2' });
    expect(response.status).toBe(502);
    expect(((await response.json()) as { message: string }).message).toContain('HTTP 503: no V2');
  });

  it('rejects an unknown api with 400 and registers nothing', async () => {
    const response = await postV2Order({ product_id: CATALOG[0]?.id, api: 'v3' });
    expect(response.status).toBe(400);
    expect(api.registered).toEqual([]);
  });
});
