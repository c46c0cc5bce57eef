import { describe, expect, it } from 'vitest';
import { forgeryNoteKey } from '../../../../../local/shop/browser/forgery-note';
import { noteKey } from '../../../../../local/shop/browser/result-rules';
import { DICTIONARY, LANGS } from '../../../../../local/shop/i18n';

const forged = (overrides: Record<string, unknown> = {}) => ({
  verdict: 'forgery',
  current: true,
  status: 'cancelled',
  fail_reason: null,
  paid_at: '2026-12-03T00:00:00.000Z',
  cancel_amount: 0,
  cancellation: null,
  ...overrides,
});

describe('the note on a forgery', () => {
  it('says refunded once PortOne shows the money returned', () => {
    const done = forged({ cancellation: { state: 'done' }, cancel_amount: 100 });
    expect(forgeryNoteKey({ attempts: [done] })).toBe('note.forgery.refunded');
    expect(noteKey({ status: 'forgery', final: true, attempts: [done] })).toBe(
      'note.forgery.refunded',
    );
  });

  it('says it is being refunded while the refund is asked for, retried or not yet asked', () => {
    for (const cancellation of [null, { state: 'requested' }, { state: 'failed' }]) {
      expect(forgeryNoteKey({ attempts: [forged({ cancellation })] })).toBe(
        'note.forgery.refunding',
      );
    }
  });

  it('says nothing about refunds when nothing was charged', () => {
    const revoked = forged({ paid_at: null, cancellation: { state: 'done' } });
    expect(forgeryNoteKey({ attempts: [revoked] })).toBe('note.forgery');
    expect(forgeryNoteKey({ attempts: [] })).toBe('note.forgery');
    expect(noteKey({ status: 'forgery', final: true })).toBe('note.forgery');
  });

  it('reads the forged attempt, not an honest one beside it', () => {
    const honest = forged({ verdict: 'ok', current: false, cancellation: { state: 'done' } });
    expect(forgeryNoteKey({ attempts: [honest, forged()] })).toBe('note.forgery.refunding');
  });

  it('has each note in both languages, and only the refund notes speak of refunds', () => {
    for (const lang of LANGS) {
      const [plain, refunding, refunded] = [
        'note.forgery',
        'note.forgery.refunding',
        'note.forgery.refunded',
      ].map((key) => DICTIONARY[lang][key]);
      expect([plain, refunding, refunded]).toEqual([
        expect.any(String),
        expect.any(String),
        expect.any(String),
      ]);
      expect(plain).not.toMatch(/refund|환불|취소/i);
    }
    expect(DICTIONARY.en['note.forgery.refunding']).toMatch(/is being refunded/);
    expect(DICTIONARY.en['note.forgery.refunded']).toMatch(/was refunded/);
  });
});
