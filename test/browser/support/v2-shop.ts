import type { ServerResponse } from 'node:http';
import {
  DEFAULT_V2_STORE_ID,
  type ExtraRoutes,
  type RunningSimulator,
  startPortOneSimulator,
} from '../../../simulator/portone';

/**
 * A one-page shop served by the simulator itself (same origin, no stack):
 * `/shop/v2?paymentId=…&amount=…` loads the V2 browser SDK stand-in and
 * pays on `[data-testid="pay"]`, writing the resolved response into
 * `[data-testid="result"]`; `/shop/v2/complete` is its redirectUrl and shows
 * the query it was sent back with.
 */
const page = (paymentId: string, amount: number) => `<!doctype html>
<html lang="ko"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>V2 shop</title><script src="/v2-browser-sdk.js"></script></head>
<body>
<button data-testid="pay">결제하기</button>
<pre data-testid="result"></pre>
<script>
document.querySelector('[data-testid="pay"]').addEventListener('click', async () => {
  const response = await PortOne.requestPayment({
    storeId: ${JSON.stringify(DEFAULT_V2_STORE_ID)},
    channelKey: 'channel-key-shop-live',
    paymentId: ${JSON.stringify(paymentId)},
    orderName: '노르웨이 회전 의자',
    totalAmount: ${amount},
    currency: 'CURRENCY_KRW',
    payMethod: 'CARD',
    redirectUrl: location.origin + '/shop/v2/complete',
  });
  const out = document.querySelector('[data-testid="result"]');
  out.textContent = JSON.stringify(response);
  out.setAttribute('data-done', 'true');
});
</script>
</body></html>`;

const send = (res: ServerResponse, html: string) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(html);
};

const routes: ExtraRoutes = (req, res, url) => {
  if (req.method !== 'GET') return false;
  if (url.pathname === '/shop/v2') {
    const paymentId = url.searchParams.get('paymentId') ?? 'pay-browser-1';
    send(res, page(paymentId, Number(url.searchParams.get('amount') ?? '64900')));
    return true;
  }
  if (url.pathname === '/shop/v2/complete') {
    send(res, `<!doctype html><pre data-testid="query">${url.search.replace(/</g, '&lt;')}</pre>`);
    return true;
  }
  return false;
};

export const startV2Shop = (): Promise<RunningSimulator> =>
  startPortOneSimulator({ quiet: true, routes });
