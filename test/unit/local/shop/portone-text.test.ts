import { describe, expect, it } from 'vitest';
import { bankName, holderName, portoneMessage } from '../../../../local/shop/portone-text';
import { MSG_DECLINED, MSG_USER_CANCEL } from '../../../../simulator/portone/checkout/checkout';
import { MSG_V2_DECLINED, MSG_V2_USER_CANCEL } from '../../../../simulator/portone/v2/checkout';
import { MSG_PRE_REGISTER_MISMATCH } from '../../../../simulator/portone/v2/store';

const HANGUL = /[\uAC00-\uD7A3]/;

describe("PortOne's words in the shop's languages", () => {
  it('puts the messages PortOne answers most into English, keeping the original', () => {
    for (const message of [
      MSG_USER_CANCEL,
      `[결제포기] ${MSG_USER_CANCEL}`,
      MSG_V2_USER_CANCEL,
      MSG_DECLINED,
      MSG_V2_DECLINED,
      `${MSG_PRE_REGISTER_MISMATCH} (사전 등록 금액: 15000, 요청 금액: 100)`,
      '결제 요청 금액이 사전등록된 금액과 다릅니다. (사전등록 금액: 15000, 요청 금액: 100)',
    ]) {
      const said = portoneMessage('en', message);
      expect(said.text, message).not.toMatch(HANGUL);
      expect(said.text).not.toMatch(/Korean/);
      expect(said.original).toBe(message);
    }
    expect(portoneMessage('en', MSG_USER_CANCEL).text).toBe(
      'The payment window was closed before paying.',
    );
  });

  it('says an unknown Korean message is in Korean, and leaves other words alone', () => {
    expect(portoneMessage('en', '알 수 없는 오류')).toEqual({
      text: 'PortOne answered in Korean (hover to read it).',
      original: '알 수 없는 오류',
    });
    expect(portoneMessage('en', 'timeout')).toEqual({ text: 'timeout', original: null });
    expect(portoneMessage('ko', MSG_DECLINED)).toEqual({ text: MSG_DECLINED, original: null });
  });

  it("names the simulator's banks and holders in English, and unknown ones as given", () => {
    expect(bankName('en', '신한').text).toBe('Shinhan Bank');
    expect(bankName('en', 'SHINHAN').text).toBe('Shinhan Bank');
    expect(bankName('ko', 'SHINHAN')).toEqual({ text: '신한은행', original: 'SHINHAN' });
    expect(bankName('en', 'MYSTERY')).toEqual({ text: 'MYSTERY', original: null });
    expect(holderName('en', '포트원')).toEqual({ text: 'PortOne', original: '포트원' });
    expect(holderName('en', '(주)포트원심').text).not.toMatch(HANGUL);
    expect(holderName('en', '김철수')).toEqual({ text: '김철수', original: null });
    expect(holderName('ko', '포트원')).toEqual({ text: '포트원', original: null });
  });
});
