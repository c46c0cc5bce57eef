import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * A bare result page for RESULT_PAGE_URL on the local stack: it shows the
 * status the redirect reported and polls GET /orders until the order is
 * final. (The demo shop replaces it with a real one.)
 */
export const resultPage = (request: IncomingMessage, response: ServerResponse): boolean => {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (request.method !== 'GET' || url.pathname !== '/result') return false;
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  response.end(`<!doctype html><meta charset="utf-8"><title>Payment result</title>
<h1>Payment result: <span id="status"></span></h1><pre id="order">loading…</pre>
<script>
const q = new URLSearchParams(location.search);
document.getElementById('status').textContent = q.get('status') ?? '';
const id = q.get('merchant_uid');
async function poll() {
  if (!id) { document.getElementById('order').textContent = 'no order'; return; }
  const r = await fetch('/orders/' + encodeURIComponent(id));
  const order = await r.json();
  document.getElementById('order').textContent = JSON.stringify(order, null, 2);
  if (!order.final) setTimeout(poll, 1000);
}
poll();
</script>`);
  return true;
};
