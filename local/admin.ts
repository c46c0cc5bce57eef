import type { IncomingMessage, ServerResponse } from 'node:http';
import { reconcile } from '../functions/domain/use-cases/reconcile';
import { type Runtime, verificationDeps } from '../functions/runtime/deps';
import type { SettlementStream } from './settlement-stream';

/**
 * Local-only routes. `POST /__local/reconcile[?ahead=SECONDS]` runs the
 * reconciler as the schedule does in AWS; `ahead` runs it as if that much
 * time had passed, so a missing webhook can be settled without waiting.
 * `GET /__local/events[?merchant_uid=…]` lists the "payment settled" events
 * published so far (what an EventBridge rule would deliver in AWS).
 */
export const localAdmin =
  (runtime: Runtime, settlements: SettlementStream | null = null) =>
  (request: IncomingMessage, response: ServerResponse): boolean => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (request.method === 'GET' && url.pathname === '/__local/events') {
      const merchantUid = url.searchParams.get('merchant_uid');
      const events = (settlements?.events ?? []).filter(
        (event) => merchantUid === null || event.merchant_uid === merchantUid,
      );
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ events }));
      return true;
    }
    if (request.method !== 'POST' || url.pathname !== '/__local/reconcile') return false;
    const ahead = Number(url.searchParams.get('ahead') ?? 0);
    const clock = () => new Date(Date.now() + (Number.isFinite(ahead) ? ahead : 0) * 1000);
    reconcile({ ...verificationDeps(runtime), clock }).then(
      (report) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(report));
      },
      (error: unknown) => {
        response.writeHead(503, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ status: 'unavailable', message: String(error) }));
      },
    );
    return true;
  };
