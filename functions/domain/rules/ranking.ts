import type { Attempt } from '../model/order';

/**
 * Invariant I4: which attempt decides the order's status. Each attempt gets a
 * precedence key computed from its own latest observation alone, and the
 * current attempt is the one with the greatest key. Because the key never
 * depends on arrival order, every interleaving of deliveries elects the same
 * attempt (I5).
 *
 * Levels, weakest first:
 * 0 a duplicate payment (never decides the order);
 * 1 pending or failed (an abandoned or declined window);
 * 2 a forgery (worth showing over a failure, never over a real payment);
 * 3 cancelled in full;
 * 4 virtual account issued, awaiting deposit;
 * 5 paid (also partially cancelled: money is still held).
 *
 * Ties: among paid attempts the FIRST payment wins (earliest paid_at), so a
 * second paid attempt is the duplicate; elsewhere the latest started wins.
 *
 * Being a duplicate is decided afresh by every election from what PortOne
 * shows of each attempt (docs/design.md §2.1): when the first payment is refunded
 * before we cancelled the second, the second pays the order. Only a
 * duplicate whose cancellation PortOne accepted or shows stays one.
 */
export const PAID_LEVEL = 5;

export const levelOf = (attempt: Pick<Attempt, 'status' | 'verdict'>): number => {
  if (attempt.verdict === 'duplicate') return 0;
  if (attempt.verdict === 'forgery') return 2;
  switch (attempt.status) {
    case 'pending':
    case 'failed':
      return 1;
    case 'cancelled':
      return 3;
    case 'vbank_issued':
      return 4;
    case 'paid':
    case 'partially_cancelled':
      return PAID_LEVEL;
  }
};

export const rankOf = (
  attempt: Pick<Attempt, 'status' | 'verdict' | 'paid_at' | 'started_at' | 'imp_uid'>,
): string => {
  const level = levelOf(attempt);
  if (level === PAID_LEVEL) {
    return `${level}.${invertTime(attempt.paid_at)}.${invertId(attempt.imp_uid)}`;
  }
  return `${level}.${String(attempt.started_at).padStart(12, '0')}.${attempt.imp_uid}`;
};

/** The smallest possible key of a paid attempt: every key below it is a non-paid attempt. */
export const PAID_RANK_FLOOR = `${PAID_LEVEL}.`;

const invertTime = (seconds: number): string =>
  String(999_999_999_999 - Math.max(0, Math.trunc(seconds))).padStart(12, '0');

// An id is printable ASCII (imp_uid [A-Za-z0-9_-]{1,32}; a V2 payment id adds
// '.' and may be longer): pad to 32 with a character below all of them, then
// mirror every character inside printable ASCII, so that the smaller id gets
// the greater key without leaving single-byte UTF-8. Ids longer than 32 are
// not padded; the key is still a fixed function of the id, which is all the
// election's order-independence (I5) needs.
const invertId = (id: string): string =>
  Array.from(id.padEnd(32, ' '), (ch) =>
    String.fromCharCode(0x7e - (ch.charCodeAt(0) - 0x20)),
  ).join('');

export const currentAttemptOf = (attempts: Record<string, Attempt>): Attempt | null => {
  let best: Attempt | null = null;
  for (const attempt of Object.values(attempts)) {
    if (!best || rankOf(attempt) > rankOf(best)) best = attempt;
  }
  return best;
};

/** A duplicate we acted on: PortOne accepted or shows our cancellation of it. */
export const isCommittedDuplicate = (attempt: Attempt): boolean =>
  attempt.verdict === 'duplicate' &&
  attempt.cancellation !== null &&
  (attempt.cancellation.state === 'done' ||
    (attempt.cancellation.state === 'requested' && attempt.cancellation.accepted));

/**
 * I4 as one pure function of the attempts: the current attempt, and every
 * other attempt that holds money while the current one does flagged
 * duplicate. Depends on the attempts' own observations only, never on the
 * order they arrived in (I5).
 */
export const elect = (
  attempts: Record<string, Attempt>,
): { attempts: Record<string, Attempt>; current: Attempt | null } => {
  const next: Record<string, Attempt> = {};
  for (const [id, attempt] of Object.entries(attempts)) {
    next[id] =
      attempt.verdict === 'duplicate' && !isCommittedDuplicate(attempt)
        ? { ...attempt, verdict: 'ok' }
        : attempt;
  }
  const current = currentAttemptOf(next);
  if (current && levelOf(current) === PAID_LEVEL) {
    for (const [id, other] of Object.entries(next)) {
      if (id !== current.imp_uid && levelOf(other) === PAID_LEVEL) {
        next[id] = { ...other, verdict: 'duplicate' };
      }
    }
  }
  return { attempts: next, current };
};
