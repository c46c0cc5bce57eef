import { type Summary, summarize } from './stats';

/** One iteration of the limit: each part timed on its own, ms. */
export interface LimitSample {
  /** The mandated read of complete and redirect (a consistent GetItem of the order). */
  getItemMs: number;
  /** One PortOne payment lookup (GET /payments/{imp_uid}) over a kept-alive connection. */
  portoneMs: number;
  /** One conditional UpdateItem of an order item, as the happy path writes it. */
  updateItemMs: number;
}

/** The limit at one PortOne latency: its parts and their per-iteration sums. */
export interface LimitSummary {
  latencyMs: number;
  iterations: number;
  getItem: Summary;
  portone: Summary;
  updateItem: Summary;
  /** The limit: PortOne round trip + UpdateItem, summed per iteration. */
  limit: Summary;
  /** What complete and redirect cannot avoid: GetItem + round trip + UpdateItem, per iteration. */
  limitWithRead: Summary;
}

/**
 * Summarises the limit's iterations. The sums are taken per iteration before
 * the percentiles, so that the p99 is that of one event's physical cost, not
 * a sum of p99s (which no single event reaches).
 */
export const summarizeLimit = (
  latencyMs: number,
  samples: readonly LimitSample[],
): LimitSummary => ({
  latencyMs,
  iterations: samples.length,
  getItem: summarize(samples.map((s) => s.getItemMs)),
  portone: summarize(samples.map((s) => s.portoneMs)),
  updateItem: summarize(samples.map((s) => s.updateItemMs)),
  limit: summarize(samples.map((s) => s.portoneMs + s.updateItemMs)),
  limitWithRead: summarize(samples.map((s) => s.getItemMs + s.portoneMs + s.updateItemMs)),
});

/** How a route's round trips compare with the limit (ours / limit, p50 and p99). */
export interface AgainstLimit {
  p50: number;
  p99: number;
  pass: boolean;
}

/** The bound on ours over the limit, p50 and p99 alike. */
export const LIMIT_FACTOR = 1.1;

export const againstLimit = (
  ours: Summary,
  limit: Summary,
  factor = LIMIT_FACTOR,
): AgainstLimit => {
  const p50 = ours.p50 / limit.p50;
  const p99 = ours.p99 / limit.p99;
  return { p50, p99, pass: p50 <= factor && p99 <= factor };
};
