import type { UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { ObservationContext } from '../../domain/model/observation';
import type { Attempt, HistoryEntry } from '../../domain/model/order';
import type { PortOnePayment } from '../../domain/model/portone-payment';
import { attemptFrom } from '../../domain/rules/decide';
import { ATTEMPT_LIMIT } from '../../domain/rules/limits';
import { isConfirmingSource } from '../../domain/rules/observation';
import { PAID_RANK_FLOOR, rankOf } from '../../domain/rules/ranking';
import { checkAtOf } from '../../domain/rules/recheck';
import { settlesNow } from '../../domain/rules/settlement';
import { orderKey, recheckKeys } from './keys';
import { TABLE_DESIGN } from './table-design';

const { partitionKey: PK, recheckIndex: RECHECK } = TABLE_DESIGN;

/**
 * The happy path as ONE conditional UpdateItem, no read: its condition holds
 * exactly when `decide` would store this observation as the order's current
 * attempt with nothing else to change, i.e. when
 * - the order exists at the payment's amount and currency (a genuine payment;
 *   a sandbox payment in live mode never comes here), and a V2 payment's id
 *   is one the order issued,
 * - no cancellation is owed or under way on the order (nor a merchant refund),
 * - a new imp_uid keeps the order below ATTEMPT_LIMIT attempts,
 * - the stored observation of this imp_uid (if any) is older, or the same one
 *   not yet confirmed when the webhook confirms it, and it is neither flagged
 *   duplicate nor under our cancellation,
 * - this attempt is, or becomes, the one that decides the order (ranking.ts):
 *   the order has none yet; or it is this one and its rank does not fall (or
 *   it is the only attempt); or it outranks a current attempt that is not paid
 *   (so nothing gets flagged duplicate).
 * The property test over delivery orderings checks that both paths agree.
 */
export const fastPathCommand = (
  tableName: string,
  payment: PortOnePayment,
  context: ObservationContext,
): { attempt: Attempt; command: UpdateCommandInput } => {
  const attempt = attemptFrom(payment, payment, context);
  const entry: HistoryEntry = {
    at: context.now,
    source: context.source,
    imp_uid: attempt.imp_uid,
    attempt_status: attempt.status,
    verdict: 'ok',
    status: attempt.status,
    final: attempt.final,
  };
  // After this write the attempt alone decides the order, and no cancellation is owed.
  const checkAt = checkAtOf(
    {
      final: attempt.final,
      status: attempt.status,
      imp_uid: attempt.imp_uid,
      attempts: { [attempt.imp_uid]: attempt },
      refunds: [],
    },
    context.now,
  );
  const confirming = isConfirmingSource(context.source);
  // The first confirmed outcome is stamped in the same write (settlement.ts);
  // an item without the map (written before it existed) takes the slow path.
  const settles = settlesNow({ final: attempt.final, status: attempt.status, settled: {} });
  const settlement = settles ? ', #settled.#outcome = if_not_exists(#settled.#outcome, :now)' : '';
  const recheck = checkAt
    ? `#checkAt = :checkAt, ${RECHECK.partitionKey} = :shard, ${RECHECK.sortKey} = :checkAt`
    : `#checkAt = :settled REMOVE ${RECHECK.partitionKey}, ${RECHECK.sortKey}`;
  const newer = confirming
    ? '(#att.#imp.#version < :version OR (#att.#imp.#version = :version AND #att.#imp.#final = :false))'
    : '#att.#imp.#version < :version';
  const command: UpdateCommandInput = {
    TableName: tableName,
    Key: orderKey(payment.merchant_uid),
    UpdateExpression:
      'SET #att.#imp = :attempt, #current = :imp, #rank = :rank, #status = :status, ' +
      `#final = :final, #updated = :now, #history = list_append(#history, :entries)${settlement}, ${recheck} ` +
      'ADD #rev :one',
    ConditionExpression: [
      `attribute_exists(${PK}) AND #amount = :amount AND #currency = :currency`,
      'AND (attribute_not_exists(#owes) OR #owes = :no)',
      // A new attempt only below the bound; beyond it `decide` drops the oldest that decide nothing (I9).
      `AND ((attribute_not_exists(#att.#imp) AND size(#att) < :attemptLimit) OR (${newer} AND #att.#imp.#verdict = :ok AND attribute_type(#att.#imp.#cancellation, :null)))`,
      'AND (attribute_type(#current, :null) OR (#current = :imp AND (#rank <= :rank OR size(#att) = :one)) OR (#rank < :rank AND #rank < :paidFloor))',
      ...(settles ? ['AND attribute_exists(#settled)'] : []),
      // A V2 payment counts only under an id the order issued (decide.ts).
      ...(payment.api === 'v2' ? ['AND attribute_exists(#pids.#imp)'] : []),
    ].join(' '),
    ExpressionAttributeNames: {
      '#att': 'attempts',
      '#imp': payment.imp_uid,
      '#version': 'version',
      '#verdict': 'verdict',
      '#cancellation': 'cancellation',
      '#current': 'imp_uid',
      '#rank': 'rank',
      '#status': 'status',
      '#final': 'final',
      '#updated': 'updated_at',
      '#history': 'history',
      '#rev': 'rev',
      '#amount': 'amount',
      '#currency': 'currency',
      '#checkAt': 'check_at',
      '#owes': 'owes_cancellation',
      ...(settles ? { '#settled': 'settled', '#outcome': attempt.status } : {}),
      ...(payment.api === 'v2' ? { '#pids': 'payment_ids' } : {}),
    },
    ExpressionAttributeValues: {
      ':attempt': attempt,
      ':imp': payment.imp_uid,
      ':rank': rankOf(attempt),
      ':status': attempt.status,
      ':final': attempt.final,
      ':now': context.now,
      ':entries': [entry],
      ':one': 1,
      ':amount': payment.amount,
      ':currency': payment.currency,
      ':version': attempt.version,
      ':ok': 'ok',
      ':null': 'NULL',
      ':paidFloor': PAID_RANK_FLOOR,
      ':attemptLimit': ATTEMPT_LIMIT,
      ':no': false,
      ...(checkAt
        ? {
            ':checkAt': checkAt,
            ':shard': recheckKeys(payment.merchant_uid, checkAt).recheck_shard,
          }
        : { ':settled': null }),
      ...(confirming ? { ':false': false } : {}),
    },
    ReturnValues: 'ALL_NEW',
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  };
  return { attempt, command };
};
