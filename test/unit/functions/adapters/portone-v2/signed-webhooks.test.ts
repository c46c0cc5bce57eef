import { describe, expect, it } from 'vitest';
import { signedWebhooks } from '../../../../../functions/adapters/portone-v2/signed-webhooks';
import { UpstreamUnavailableError } from '../../../../../functions/domain/model/errors';
import { signedHeaders, V2_TEST_SECRET } from '../../../../support/v2-webhooks';

const BODY = JSON.stringify({
  type: 'Transaction.Paid',
  timestamp: '2026-12-03T01:00:05Z',
  data: { paymentId: 'order-1', storeId: 'store-1', transactionId: 'tx-1' },
});
const OTHER_SECRET = 'whsec_c2Vjb25kIHNlY3JldA==';

/** Webhook secrets read when a delivery comes, as from Secrets Manager; counts reads and refreshes. */
const provided = (secrets: readonly string[] | Error) => {
  const counts = { reads: 0, refreshes: 0 };
  const provider = Object.assign(
    async () => {
      counts.reads += 1;
      if (secrets instanceof Error) throw secrets;
      return secrets;
    },
    {
      refresh: () => {
        counts.refreshes += 1;
      },
    },
  );
  return { counts, provider };
};

describe('signedWebhooks with secrets read on delivery', () => {
  it('opens a delivery signed with a secret its provider answers', async () => {
    const { counts, provider } = provided([OTHER_SECRET, V2_TEST_SECRET]);

    const opened = await signedWebhooks(provider).open(BODY, signedHeaders(BODY));

    expect(opened).toEqual({ kind: 'transaction', type: 'Transaction.Paid', paymentId: 'order-1' });
    expect(counts).toEqual({ reads: 1, refreshes: 0 });
  });

  it('refuses a delivery no secret signed, and asks for the secrets to be read again', async () => {
    const { counts, provider } = provided([V2_TEST_SECRET]);

    const opened = await signedWebhooks(provider).open(
      BODY,
      signedHeaders(BODY, { secret: OTHER_SECRET }),
    );

    expect(opened).toEqual({ kind: 'refused', reason: 'NO_MATCHING_SIGNATURE' });
    expect(counts).toEqual({ reads: 1, refreshes: 1 });
  });

  it('does not refresh for an unsigned delivery: the secrets are not in question', async () => {
    const { counts, provider } = provided([V2_TEST_SECRET]);

    const opened = await signedWebhooks(provider).open(BODY, {});

    expect(opened).toEqual({ kind: 'refused', reason: 'MISSING_REQUIRED_HEADERS' });
    expect(counts.refreshes).toBe(0);
  });

  it('fails, rather than refuses, when the secrets cannot be read, so PortOne delivers again', async () => {
    const unreadable = new UpstreamUnavailableError(
      "the PortOne secret's field v2ApiSecret is missing",
    );
    const { provider } = provided(unreadable);

    await expect(signedWebhooks(provider).open(BODY, signedHeaders(BODY))).rejects.toBe(unreadable);
  });
});
