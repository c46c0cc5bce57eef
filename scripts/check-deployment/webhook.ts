import { type Exchange, oneLine, send, statusOf } from './http';
import { type CheckResult, type Target, TEST_CALL } from './types';

/** What the webhook answered to PortOne's console test call; the secret check reads it too. */
export interface WebhookProbe {
  url: string;
  exchange: Exchange;
}

/** `POST {api}/payments/webhook` with the console's test body: an imp_uid PortOne does not know. */
export const probeWebhook = async (target: Target): Promise<WebhookProbe> => {
  const url = `${target.apiUrl}/payments/webhook`;
  const exchange = await send(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(TEST_CALL),
  });
  return { url, exchange };
};

/** The webhook answered the test call as PortOne expects: 200 `ignored` (docs/design.md §4.2). */
export const answeredIgnored = (probe: WebhookProbe): boolean =>
  probe.exchange.ok &&
  probe.exchange.status === 200 &&
  statusOf(probe.exchange.json).status === 'ignored';

/** The function could not get a usable answer from PortOne: 502 `upstream_error`. */
export const answeredUpstreamError = (probe: WebhookProbe): boolean =>
  probe.exchange.ok &&
  probe.exchange.status >= 500 &&
  statusOf(probe.exchange.json).status === 'upstream_error';

/** API Gateway's request id, as the public messages quote it (the log line carries the same). */
export const requestIdOf = (probe: WebhookProbe): string | null => {
  if (!probe.exchange.ok) return null;
  const quoted = /\(request id ([^)\s]+)\)/.exec(statusOf(probe.exchange.json).message ?? '');
  return quoted?.[1] ?? probe.exchange.headers.get('apigw-requestid');
};

export const logHint = (probe: WebhookProbe, target: Target): string => {
  const id = requestIdOf(probe);
  const where = target.webhookLogGroup ?? "the webhook function's log group";
  return id
    ? `the log line with api_request_id ${id} in ${where}`
    : `the "webhook answered" line in ${where}`;
};

export const webhookCheck = (probe: WebhookProbe, target: Target): CheckResult => {
  const call = `POST ${probe.url}`;
  const fail = (message: string): CheckResult => ({ name: 'webhook', ok: false, message });
  const { exchange } = probe;
  if (!exchange.ok) {
    return fail(
      `${call} failed (${exchange.reason}); PortOne cannot reach it either: pass the API's base URL (the stack's ApiUrl output) and check that it resolves and answers from the internet`,
    );
  }
  const { status, message } = statusOf(exchange.json);
  const answered = `${call} answered ${exchange.status}${status ? ` ${status}` : ''}`;
  if (answeredIgnored(probe)) {
    return {
      name: 'webhook',
      ok: true,
      message: `${answered}, as PortOne's console test call (호출 테스트) with an unknown imp_uid expects`,
    };
  }
  if (exchange.status === 200 && status === undefined) {
    return fail(
      `${answered} without this service's JSON: ${target.apiUrl} is not the payments API; pass the stack's ApiUrl output`,
    );
  }
  if (exchange.status === 200) {
    return fail(
      `${answered}, not ignored, for an imp_uid PortOne cannot know (${TEST_CALL.imp_uid}): the functions' PORTONE_API_URL (context portoneApiUrl) does not point at PortOne's V1 API`,
    );
  }
  if (exchange.status === 404) {
    return fail(
      `${answered}: there is no webhook route there; pass the API's base URL (the stack's ApiUrl output, without a path), not a page or another API`,
    );
  }
  if (exchange.status === 403 && status === 'forbidden') {
    return fail(
      `${answered}: the webhookAllowedIps allow-list refuses this machine; run the check from a listed address, or leave webhookAllowedIps empty (README, Limiting the webhook to PortOne's addresses)`,
    );
  }
  if (exchange.status === 403) {
    return fail(
      `${answered}; PortOne cannot reach it: something in front of the API (a WAF, CloudFront, a firewall) refuses the webhook, so allow POST /payments/webhook through it`,
    );
  }
  if (exchange.status === 429) {
    return fail(
      `${answered}: API Gateway throttled it and would throttle PortOne alike; raise webhookThrottleRate / webhookThrottleBurst or find what floods the route`,
    );
  }
  if (exchange.status === 400 || exchange.status === 415) {
    return fail(
      `${answered}${message ? ` (${oneLine(message)})` : ''}: the webhook refused PortOne's test body; deploy the current version of this service`,
    );
  }
  if (answeredUpstreamError(probe)) {
    return fail(
      `${answered}: the function could not look the test imp_uid up at PortOne, so PortOne's console test gets a 5xx too; store a key pair PortOne accepts in the secret (see the secret line) and check portoneApiUrl; ${logHint(probe, target)} has the detail`,
    );
  }
  if (status === 'unavailable') {
    return fail(
      `${answered}: the function could not reach DynamoDB; check the table (TableName output) and the function's role; ${logHint(probe, target)} has the detail`,
    );
  }
  if (exchange.status >= 500) {
    return fail(
      `${answered}: the webhook function failed (a configuration error stops it at cold start, naming the variable); ${logHint(probe, target)} says why`,
    );
  }
  return fail(
    `${answered}; PortOne's console test expects 200 ignored: pass the stack's ApiUrl output`,
  );
};
