/**
 * The log lines operations depend on: the stack's metric filters and alarms
 * match these messages (lib/), so the code that writes them and the filters
 * that count them read the same words from here. Changing one is changing an
 * alarm.
 */
export const LOG_LINES = {
  /** Every webhook answer, with `http_status`; the 5xx ones are PortOne retrying. */
  webhookAnswered: 'webhook answered',
  /** A V2 delivery not signed with our secrets (or out of its time window): refused, nothing else done. */
  webhookSignatureRefused: 'webhook signature refused',
  forgeryDetected: 'forgery detected',
  /** A real imp_uid presented with another order's merchant_uid: refused, nothing changes. */
  merchantMismatch: 'merchant mismatch detected',
  duplicatePayment: 'duplicate payment detected',
  /** A cancellation or refund PortOne refused for good, or never showed: a person must act. */
  cancellationRejected: 'cancellation rejected; a person must act',
  /** One reconciler run's report (due, settled, open, skipped, failed): the dashboard lists them. */
  reconciliationFinished: 'reconciliation finished',
  /** An order item DynamoDB will not write any more (I9 should prevent it). */
  itemTooLarge: 'order item too large',
} as const;
