import { headerOf } from './request';
import type { HttpEvent, HttpResult } from './types';

/**
 * CORS for the checkout page's callback (`POST /payments/complete`). Only the
 * configured origins are echoed back; any other origin gets no CORS headers,
 * so the browser refuses to hand it the answer.
 */
export const corsHeaders = (
  event: HttpEvent,
  allowedOrigins: readonly string[],
): Record<string, string> => {
  const origin = headerOf(event, 'origin');
  if (!origin) return {};
  const allowed = allowedOrigins.includes('*') || allowedOrigins.includes(origin);
  return allowed ? { 'access-control-allow-origin': origin, vary: 'Origin' } : { vary: 'Origin' };
};

export const preflight = (event: HttpEvent, allowedOrigins: readonly string[]): HttpResult => {
  const headers = corsHeaders(event, allowedOrigins);
  if (!headers['access-control-allow-origin']) return { statusCode: 403, headers, body: '' };
  return {
    statusCode: 204,
    headers: {
      ...headers,
      'access-control-allow-methods': 'POST, OPTIONS',
      'access-control-allow-headers': 'content-type',
      'access-control-max-age': '600',
    },
    body: '',
  };
};
