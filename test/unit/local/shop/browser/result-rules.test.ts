import { describe, expect, it } from 'vitest';
import { ORDER_STATUSES } from '../../../../../functions/domain/model/order';
import { resultWordOf } from '../../../../../functions/http/order-view';
import { merchantUid } from '../../../../../functions/http/schemas';
import {
  failureOf,
  finalHintKey,
  flagNoteKey,
  headingKey,
  isMerchantUid,
  isOrderStatus,
  noteKey,
  pendingKey,
  pollDelay,
  statusKey,
  toldOtherwise,
  webhooksText,
} from '../../../../../local/shop/browser/result-rules';
import { DICTIONARY, LANGS } from '../../../../../local/shop/i18n';

/** Every word complete and redirect answer for some status. */
const RESULT_WORDS = [...new Set(ORDER_STATUSES.map(resultWordOf))];

/** The message of a key in every language; undefined where one is missing. */
const messagesOf = (key: string) => LANGS.map((lang) => DICTIONARY[lang][key]);

describe.each(ORDER_STATUSES)('the result page on an order %s', (status) => {
  const word = resultWordOf(status);

  it('is a status the page knows', () => {
    expect(isOrderStatus(status)).toBe(true);
  });

  it(`finds no mismatch when the browser was told "${word}", and one for any other word`, () => {
    expect(toldOtherwise(word, status)).toBe(false);
    for (const other of RESULT_WORDS.filter((w) => w !== word)) {
      expect(toldOtherwise(other, status)).toBe(true);
    }
    expect(toldOtherwise(status === 'paid' ? 'paid' : 'success', status)).toBe(true);
  });

  it('finds no mismatch when the browser was told nothing', () => {
    expect(toldOtherwise(null, status)).toBe(false);
    expect(toldOtherwise('', status)).toBe(false);
  });

  it('labels the status, its note and the word in both languages', () => {
    expect(statusKey(status)).toBe(`status.${status}`);
    const final = noteKey({ status, final: true });
    const provisional = noteKey({ status, final: false });
    expect(final).toBe(`note.${status}`);
    expect(provisional).toBe(
      status === 'paid' || status === 'failed' ? `note.${status}.provisional` : `note.${status}`,
    );
    for (const key of [statusKey(status), final, provisional, `word.${word}`]) {
      const messages = messagesOf(key);
      expect(messages).toEqual([expect.any(String), expect.any(String)]);
      expect(messages).not.toContain(key);
    }
  });

  it('hints at what finality means', () => {
    expect(finalHintKey({ status, final: true })).toBe('result.finalHint');
    expect(finalHintKey({ status, final: false })).toBe(
      status === 'failed' ? 'result.provisionalHintFailed' : 'result.provisionalHint',
    );
  });
});

describe('a status the domain does not have', () => {
  it.each(['refunded', 'PAID', 'toString', ''])('%j is no status and mismatches any word', (s) => {
    expect(isOrderStatus(s)).toBe(false);
    for (const word of RESULT_WORDS) expect(toldOtherwise(word, s)).toBe(true);
  });

  it('has the loading label before the order is known', () => {
    expect(statusKey(null)).toBe('status.loading');
    expect(statusKey(undefined)).toBe('status.loading');
  });
});

describe('which merchant_uid the result page looks up', () => {
  it.each([
    ['shop-lq2x9k-3v8a1b', true],
    ['a', true],
    ['A_z-09', true],
    ['x'.repeat(40), true],
    ['x'.repeat(41), false],
    ['', false],
    ['a b', false],
    ['a/b', false],
    ['주문', false],
    ['</script>', false],
  ])('%j: %s, as the API validates it', (value, valid) => {
    expect(isMerchantUid(value)).toBe(valid);
    expect(merchantUid.safeParse(value).success).toBe(valid);
  });

  it('looks up nothing without one', () => {
    expect(isMerchantUid(null)).toBe(false);
  });
});

describe('what the result page still waits for', () => {
  it.each([
    [{ status: 'vbank_issued', final: true }, 'pending.deposit'],
    [{ status: 'paid', final: false }, 'pending.confirmPaid'],
    [{ status: 'failed', final: false }, 'pending.confirmFailed'],
    [{ status: 'pending', final: false }, 'pending.payment'],
    [{ status: 'pending', final: true }, 'pending.payment'],
    [
      { status: 'forgery', final: true, attempts: [{ cancellation: { state: 'requested' } }] },
      'pending.refund',
    ],
    [{ status: 'paid', final: true, refunds: [{ state: 'requested' }] }, 'pending.refund'],
  ])('waits on %o with %s, a message in every language', (order, key) => {
    // Act
    const pending = pendingKey(order);
    // Assess
    expect(pending).toBe(key);
    for (const message of messagesOf(key)) expect(message).toBeTruthy();
  });

  it.each([
    { status: 'paid', final: true },
    { status: 'failed', final: true },
    { status: 'cancelled', final: true },
    { status: 'forgery', final: true, attempts: [{ cancellation: { state: 'done' } }] },
  ])('waits on nothing once %o is settled for good', (order) => {
    expect(pendingKey(order)).toBeNull();
  });

  it('waits for the first look while there is no order yet', () => {
    expect(pendingKey(null)).toBe('pending.loading');
  });
});

describe('pollDelay', () => {
  it('waits 1 s after news, doubling with each look without news up to 15 s', () => {
    expect([0, 1, 2, 3, 4, 5, 20].map(pollDelay)).toEqual([
      1000, 2000, 4000, 8000, 15_000, 15_000, 15_000,
    ]);
  });
});

describe('the shopper-facing messages', () => {
  it('never name the reconciler', () => {
    for (const lang of LANGS) {
      for (const message of Object.values(DICTIONARY[lang])) {
        expect(message).not.toMatch(/reconcil|대사/i);
      }
    }
  });
});

describe('what the page says happened', () => {
  const attempt = (status: string, fail_reason: string | null = null) => ({
    current: true,
    status,
    fail_reason,
  });

  it.each([
    ['사용자가 결제를 취소하셨습니다', 'closed'],
    ['사용자가 결제를 취소하였습니다.', 'closed'],
    ['카드 승인이 거절되었습니다.', 'declined'],
    [null, 'declined'],
  ])('tells a closed window from a declined card by PortOne’s reason %j', (reason, failure) => {
    const order = { status: 'failed', final: true, attempts: [attempt('failed', reason)] };
    expect(failureOf(order)).toBe(failure);
    expect(headingKey(order)).toBe(`status.failed.${failure}`);
    expect(noteKey(order)).toBe(`note.${failure}`);
    for (const key of [`status.failed.${failure}`, `note.${failure}`]) {
      expect(messagesOf(key)).toEqual([expect.any(String), expect.any(String)]);
    }
  });

  it('keeps the plain failed labels while no attempt says why', () => {
    expect(failureOf({ status: 'failed', final: false })).toBeNull();
    expect(headingKey({ status: 'failed', final: false })).toBe('status.failed');
  });

  it('says a forgery PortOne refused charged nothing, a refunded one was refunded, a taken one is being refunded', () => {
    const refused = {
      status: 'forgery',
      final: true,
      paid_amount: 0,
      attempts: [attempt('failed')],
    };
    // A forged payment that was taken, as GET /orders shows it: refunded, or not yet.
    const taken = (status: string, cancellation: { state: string } | null) => ({
      ...attempt(status),
      verdict: 'forgery',
      paid_at: '2026-12-03T00:00:00.000Z',
      cancel_amount: cancellation ? 100 : 0,
      cancellation,
    });
    const refunded = {
      status: 'forgery',
      final: true,
      paid_amount: 0,
      cancel_amount: 100,
      attempts: [taken('cancelled', { state: 'done' })],
    };
    const paid = {
      status: 'forgery',
      final: true,
      paid_amount: 100,
      attempts: [taken('paid', null)],
    };
    expect(noteKey(refused)).toBe('note.forgery.refused');
    // Not final yet: what is checked is that no money moved, as for a failure.
    const unconfirmed = { ...refused, final: false };
    expect(
      pendingKey({ ...unconfirmed, attempts: [{ ...attempt('failed'), cancellation: null }] }),
    ).toBe('pending.confirmFailed');
    expect(finalHintKey(unconfirmed)).toBe('result.provisionalHintFailed');
    expect(noteKey(refunded)).toBe('note.forgery.refunded');
    expect(noteKey(paid)).toBe('note.forgery.refunding');
  });

  it('finds no disagreement when the browser saw a status the order went through', () => {
    expect(toldOtherwise('vbankIssued', 'paid', ['vbank_issued', 'paid'])).toBe(false);
    expect(toldOtherwise('vbankIssued', 'paid', ['paid'])).toBe(true);
    expect(toldOtherwise('failed', 'paid', ['vbank_issued', 'paid'])).toBe(true);
  });
});

describe('the webhook note', () => {
  const en = (arrived: number, changed: number, refused = 0) =>
    webhooksText((key) => DICTIONARY.en[key] ?? key, arrived, changed, refused);
  const ko = (arrived: number, changed: number, refused = 0) =>
    webhooksText((key) => DICTIONARY.ko[key] ?? key, arrived, changed, refused);

  it('says none arrived yet', () => {
    expect(en(0, 0)).toBe('No webhook has arrived for this order yet.');
    expect(ko(0, 0)).toBe('이 주문에는 아직 도착한 웹훅이 없습니다.');
  });

  it('says whether the one delivery changed the order', () => {
    expect(en(1, 1)).toBe('PortOne’s webhook arrived once and changed the order.');
    expect(en(1, 0)).toMatch(/^PortOne’s webhook arrived once and changed nothing/);
    expect(ko(1, 1)).toBe('PortOne 웹훅이 한 번 도착해 주문을 바꿨습니다.');
    expect(ko(1, 0)).toMatch(/^PortOne 웹훅이 한 번 도착했지만 아무것도 바꾸지 않았습니다/);
  });

  it('says every delivery changed the order when all did, without implying others', () => {
    expect(en(2, 2)).toBe('PortOne’s webhook arrived 2 times, and all 2 changed the order.');
    expect(ko(2, 2)).toBe('PortOne 웹훅이 2번 도착했고, 2번 모두 주문을 바꿨습니다.');
    for (const text of [en(2, 2), ko(2, 2)]) expect(text).not.toMatch(/others|나머지/);
  });

  it('counts the duplicates that changed nothing', () => {
    expect(en(3, 1)).toBe(
      'PortOne’s webhook arrived 3 times: 1 changed the order, 2 changed nothing (PortOne, asked again, had nothing new).',
    );
    expect(ko(3, 1)).toBe(
      'PortOne 웹훅이 3번 도착했습니다. 1번이 주문을 바꿨고, 2번은 PortOne에 다시 확인해도 새로운 것이 없어 아무것도 바꾸지 않았습니다.',
    );
  });

  it('says none changed the order when none did', () => {
    expect(en(2, 0)).toBe(
      'PortOne’s webhook arrived 2 times and changed nothing (PortOne, asked again, had nothing new).',
    );
    expect(ko(2, 0)).toBe(
      'PortOne 웹훅이 2번 도착했지만 PortOne에 다시 확인해도 새로운 것이 없어 아무것도 바꾸지 않았습니다.',
    );
  });

  it('never counts more changes than deliveries the server accepted', () => {
    expect(en(2, 5)).toBe(en(2, 2));
    expect(en(2, 2, 1)).toBe(en(2, 1, 1));
  });

  it('says the server refused a delivery rather than that PortOne had nothing new', () => {
    expect(en(1, 0, 1)).toBe(
      'PortOne’s webhook arrived once and the server did not accept it (e.g. a signature that did not check out), so it changed nothing.',
    );
    expect(ko(1, 0, 1)).toBe(
      'PortOne 웹훅이 한 번 도착했지만 서버가 받아들이지 않아(예: 서명이 맞지 않음) 아무것도 바꾸지 않았습니다.',
    );
    for (const text of [en(1, 0, 1), ko(1, 0, 1), en(2, 0, 2), en(2, 1, 1), ko(2, 1, 1)]) {
      expect(text).not.toMatch(/asked again|다시 확인/);
    }
  });

  it('counts refused deliveries apart from the ones that changed the order or nothing', () => {
    expect(en(2, 0, 2)).toBe(
      'PortOne’s webhook arrived 2 times and the server accepted none (e.g. a signature that did not check out), so they changed nothing.',
    );
    expect(en(3, 1, 1)).toBe(
      'PortOne’s webhook arrived 3 times: 1 changed the order, 1 changed nothing (PortOne, asked again, had nothing new), and the server did not accept 1 (e.g. a signature that did not check out).',
    );
    expect(en(2, 1, 1)).toBe(
      'PortOne’s webhook arrived 2 times: 1 changed the order, and the server did not accept 1 (e.g. a signature that did not check out).',
    );
    expect(ko(3, 1, 1)).toBe(
      'PortOne 웹훅이 3번 도착했습니다. 1번이 주문을 바꿨고, 1번은 PortOne에 다시 확인해도 새로운 것이 없어 아무것도 바꾸지 않았으며, 1번은 서버가 받아들이지 않았습니다(예: 서명이 맞지 않음).',
    );
  });
});

describe('the result-flag note', () => {
  const callback = { at: '2026-12-03T00:00:00.000Z', word: 'success' };

  it('shows the flag the PC callback carried, or that it carried none', () => {
    expect(flagNoteKey({ flag: 'imp_success=true', callback }, true)).toBe('result.flag');
    expect(flagNoteKey({ flag: 'success=false', callback }, true)).toBe('result.flag');
    expect(flagNoteKey({ flag: 'none', callback }, true)).toBe('result.flagNone');
  });

  it('shows on the mobile redirect once the server had a payment to ask PortOne about', () => {
    expect(flagNoteKey({ redirect: true }, true)).toBe('result.flagRedirect');
    expect(flagNoteKey({ redirect: true }, false)).toBeNull();
  });

  it('does not show when the page never posted a callback (refused before any payment)', () => {
    expect(flagNoteKey({ flag: 'imp_success=false', callback: null }, false)).toBeNull();
  });

  it('does not show for V2, which has no flag, nor without a note from the product page', () => {
    expect(flagNoteKey({ callback }, true)).toBeNull();
    expect(flagNoteKey(null, true)).toBeNull();
  });

  it('has its words in both languages, each saying the server ignores the flag', () => {
    for (const key of ['result.flag', 'result.flagNone', 'result.flagRedirect']) {
      const [ko, en] = [DICTIONARY.ko[key], DICTIONARY.en[key]];
      expect(ko).toMatch(/일부러 읽지 않고|어차피 그 값을 읽지 않고/);
      expect(en).toMatch(/ignores that flag on purpose|never reads one/);
    }
  });
});
