// The note on a forgery: what became of the money, as far as the page shows it.

/** What the note needs of the order's attempts (GET /orders' attempts). */
export interface ForgedAttempts {
  attempts?: {
    verdict?: string;
    current: boolean;
    paid_at?: string | null;
    cancel_amount?: number;
    cancellation?: { state: string } | null;
  }[];
}

/**
 * `note.forgery` (nothing about refunds) when nothing was charged: no forged
 * payment was taken, or a forged virtual account was closed before any
 * deposit; `note.forgery.refunded` once PortOne shows the money returned (the
 * page's "Refunded" line); `note.forgery.refunding` while the refund is under way.
 */
export const forgeryNoteKey = (order: ForgedAttempts): string => {
  const forged = (order.attempts ?? []).filter((a) => a.verdict === 'forgery');
  const attempt = forged.find((a) => a.current) ?? forged.at(-1);
  if (!attempt?.paid_at) return 'note.forgery';
  const { cancellation } = attempt;
  if (cancellation?.state === 'done' || (!cancellation && (attempt.cancel_amount ?? 0) > 0)) {
    return 'note.forgery.refunded';
  }
  return 'note.forgery.refunding';
};
