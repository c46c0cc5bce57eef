import { CATALOG } from './catalog';
import type { Lang } from './locale';

export { DEFAULT_LANG, formatKrw, LANGS, type Lang, langOf } from './locale';

/** Korean is the source; English must have every key (checked by the type below). */
const ko = {
  brand: '소담 로스터리',
  'brand.tagline': '매주 화요일 볶아 보내는 스페셜티 커피',
  'lang.label': '언어',
  'shop.title': '소담 로스터리 · 원두와 드립 도구',
  'shop.heading': '오늘 마실 커피를 골라 보세요',
  'shop.lede':
    '테스트 상점입니다. 결제는 PortOne 테스트 환경에서 이루어지며 실제로 청구되지 않아요.',
  'shop.products': '상품',
  'shop.selected': '선택됨',
  'checkout.title': '주문 요약',
  'checkout.quantity': '수량 1개',
  'checkout.shipping': '배송비',
  'checkout.shippingFree': '무료',
  'checkout.total': '결제 금액',
  'checkout.method': '결제 수단',
  'method.card': '신용·체크카드',
  'method.vbank': '가상계좌 (무통장입금)',
  'method.trans': '실시간 계좌이체',
  'method.phone': '휴대폰 소액결제',
  pay: '결제하기',
  'pay.mobile': '모바일 결제',
  'pay.hint':
    '결제하기는 PC 콜백 흐름(POST /payments/complete), 모바일 결제는 m_redirect_url 리디렉션 흐름(GET /payments/complete)을 사용합니다.',
  'pay.hint.v2':
    '결제하기는 PortOne.requestPayment의 콜백 흐름(POST /v2/payments/complete), 모바일 결제는 redirectUrl 리디렉션 흐름(GET /v2/payments/complete)을 사용합니다. 휴대폰에서는 결제하기도 리디렉션됩니다.',
  'checkout.api': 'PortOne API',
  'api.v1': 'V1 · 아임포트',
  'api.v2': 'V2 · 현재 API',
  'api.v1.note':
    'IMP.request_pay로 결제하고 imp_uid로 검증합니다. 웹훅은 서명이 없어 결제를 다시 조회해 확인합니다.',
  'api.v2.note':
    '상점 서버가 결제 ID(paymentId)를 발급받아 사전 등록한 뒤 PortOne.requestPayment로 결제합니다. 웹훅은 Standard Webhooks 서명으로 확인합니다.',
  'busy.order': '주문을 만드는 중…',
  'busy.window': '결제창에서 결제를 진행해 주세요…',
  'busy.redirect': '결제 페이지로 이동하는 중…',
  'busy.verify': '서버에서 결제를 확인하는 중…',
  'error.order': '주문을 만들지 못했습니다',
  'error.sdk': 'PortOne 결제 모듈(SDK)을 불러오지 못했습니다. 네트워크나 SDK 주소를 확인해 주세요.',
  'error.network': '서버에 연결할 수 없습니다',
  'env.simulator': '테스트 모드 · PortOne 시뮬레이터',
  'env.portone': 'PortOne 테스트 채널',
  footer: 'PortOne V1·V2 결제 검증 데모 · 웹훅이 최종 결과를 확정합니다.',
  'result.title': '주문 결과 · 소담 로스터리',
  'result.back': '← 상점으로 돌아가기',
  'result.order': '주문번호',
  'result.loading': '주문 상태를 불러오는 중…',
  'result.browser': '브라우저가 전달받은 결과',
  'result.server': '서버가 확인한 상태',
  'result.mismatch':
    '브라우저가 받은 결과와 지금 서버 상태가 다릅니다. 기준은 언제나 서버(PortOne 재조회)입니다.',
  'result.final': '확정됨',
  'result.provisional': '확인 중',
  'result.finalHint': 'PortOne에 직접 확인해 확정된 상태입니다.',
  'result.provisionalHint': '브라우저 경로로 확인한 잠정 상태입니다. 웹훅이 오면 확정됩니다.',
  'result.provisionalHintFailed':
    '아직 확정되지 않았습니다. PortOne에 한 번 더 물어 확인하고 있어요.',
  'result.product': '상품',
  'result.amount': '주문 금액',
  'result.paid': '결제된 금액',
  'result.refunded': '취소된 금액',
  'result.payMethod': '결제 수단',
  'result.none': '없음',
  'result.polling': '이 화면은 자동으로 바뀝니다.',
  'result.settled': '더 기다릴 것이 없어 자동 확인을 마쳤습니다',
  'result.stopped': '5분 동안 변화가 없어 자동 확인을 멈췄습니다.',
  'pending.loading': '주문을 불러오는 중입니다.',
  'pending.deposit': '입금을 기다리고 있어요.',
  'pending.confirmPaid': 'PortOne의 최종 확인을 기다리고 있어요.',
  'pending.confirmFailed': '빠져나간 돈이 없는지 PortOne에 한 번 더 확인하고 있어요.',
  'pending.payment': '결제가 끝나기를 기다리고 있어요.',
  'pending.refund': '환불이 끝나기를 기다리고 있어요.',
  'result.retry': '다시 확인',
  'result.networkError': '서버에 연결하지 못했습니다. 계속 다시 시도하는 중…',
  'result.history': '처리 기록',
  'result.historyEmpty': '아직 기록된 결제 시도가 없습니다.',
  'result.attempts': '결제 시도',
  'result.current': '현재',
  'result.raw': '주문 원본 보기 (GET /orders)',
  'result.sdkMessage': 'PortOne SDK 메시지',
  'vbank.title': '입금하실 계좌',
  'vbank.account': '가상계좌',
  'vbank.bank': '은행',
  'vbank.number': '계좌번호',
  'vbank.holder': '예금주',
  'vbank.due': '입금 기한',
  deposit: '입금하기 (시뮬레이터)',
  'deposit.busy': '입금을 보내는 중…',
  'deposit.sent': '시뮬레이터가 입금을 처리했습니다. PortOne 웹훅을 기다리는 중…',
  'deposit.error': '입금하지 못했습니다',
  'notFound.title': '주문을 찾을 수 없어요',
  'notFound.text':
    '주소에 주문번호가 없거나, 등록되지 않은 주문입니다. 상점으로 돌아가 다시 주문해 주세요.',
  'status.loading': '불러오는 중…',
  'status.pending': '결제 대기',
  'status.vbank_issued': '입금 대기',
  'status.paid': '결제 완료',
  'status.partially_cancelled': '부분 취소',
  'status.cancelled': '결제 취소',
  'status.failed': '결제 실패',
  'status.forgery': '결제 거부 (위변조)',
  'note.pending':
    '아직 결제가 완료되지 않았습니다. 결제창을 닫으셨다면 상점으로 돌아가 다시 시도해 주세요.',
  'note.vbank_issued':
    '가상계좌가 발급되었습니다. 입금하면 PortOne이 웹훅으로 알려 주고 이 화면이 자동으로 바뀝니다.',
  'note.paid': '결제가 완료되었습니다. 맛있게 드세요!',
  'note.paid.provisional':
    '브라우저 경로로 결제를 확인했습니다. PortOne 웹훅이 최종 확정하기를 기다리는 중입니다.',
  'note.partially_cancelled': '결제 금액 중 일부가 취소(환불)되었습니다.',
  'note.cancelled': '결제가 취소되었습니다.',
  'note.failed': '결제가 이루어지지 않았습니다. 상점으로 돌아가 다시 시도해 주세요.',
  'note.failed.provisional':
    '결제가 이루어지지 않았습니다. 빠져나간 돈이 없는지 PortOne에 한 번 더 확인한 뒤 이 화면에서 확정해 드려요. 다시 시도하셔도 괜찮아요.',
  'note.forgery': '결제 금액이 주문과 달라 이 결제를 거부했습니다.',
  'note.forgery.refunding':
    '결제 금액이 주문과 달라 이 결제를 거부했습니다. 결제된 금액은 자동으로 환불하고 있어요.',
  'word.none': '(전달받은 결과 없음)',
  'word.success': '결제 성공',
  'word.vbankIssued': '가상계좌 발급',
  'word.pending': '결제 대기',
  'word.failed': '결제 실패',
  'word.cancelled': '결제 취소',
  'word.forgery': '위변조 의심',
  'word.invalid_request': '잘못된 요청',
  'word.not_found': '주문 또는 결제 없음',
  'word.upstream_error': 'PortOne 연결 실패',
  'source.complete': '브라우저 콜백',
  'source.redirect': '모바일 리디렉션',
  'source.webhook': '웹훅',
  'source.reconcile': '후속 확인',
  'source.cancel': '자동 취소',
  'verdict.forgery': '위변조',
  'verdict.duplicate': '중복 결제',
  'demo.skipPrepare':
    '데모 설정: 이 주문의 금액을 PortOne에 사전 등록하지 않기 (결제창에서 금액을 바꾸면 위변조 감지와 자동 환불을 볼 수 있어요)',
  'status.failed.closed': '결제창 닫힘',
  'status.failed.declined': '카드 승인 거절',
  'note.closed':
    '결제창을 닫으셔서 결제가 이루어지지 않았습니다. 상점으로 돌아가 다시 시도해 주세요.',
  'note.declined':
    '카드사가 결제 승인을 거절해 결제가 이루어지지 않았습니다. 다른 카드나 결제 수단으로 다시 시도해 주세요.',
  'note.refused':
    'PortOne이 결제를 거절해 돈이 오가지 않았습니다 (사유는 위에 있어요. 예: 상점이 사전 등록한 금액과 다른 금액). 주문은 안전하며 아직 결제되지 않았습니다.',
  'note.forgery.refused':
    '결제창이 사전 등록된 금액과 다른 금액을 요청해 PortOne이 결제를 거절했습니다. 청구된 돈은 없습니다. 서버는 주문과 금액이 다른 이 시도를 위변조로 기록했습니다.',
  'note.forgery.refunded':
    '결제된 금액이 주문과 달라 서버가 위변조를 감지해 결제를 취소했고, 결제된 금액은 전액 환불되었습니다.',
  'result.flag':
    'PortOne 콜백이 {flag}(을)를 전달했습니다. 서버는 이 값을 일부러 읽지 않고 PortOne에 직접 물어봅니다. 위의 상태가 그 답입니다.',
  'result.flagNone':
    'PortOne 콜백에 성공 여부 값이 없었습니다. 서버는 어차피 그 값을 읽지 않고 PortOne에 직접 물어봅니다.',
  'result.flagRedirect':
    'PortOne은 결과 플래그(imp_success 또는 success, 없을 수도 있음)를 브라우저를 서버로 돌려보내는 주소에 담아 보냈습니다. 서버는 이 값을 일부러 읽지 않고 PortOne에 직접 물어봅니다. 위의 상태가 그 답입니다.',
  'result.webhooksNone': '이 주문에는 아직 도착한 웹훅이 없습니다.',
  'result.webhooksOneChanged': 'PortOne 웹훅이 한 번 도착해 주문을 바꿨습니다.',
  'result.webhooksOneUnchanged':
    'PortOne 웹훅이 한 번 도착했지만 아무것도 바꾸지 않았습니다. PortOne에 다시 확인해도 새로운 것이 없었습니다.',
  'result.webhooksAllChanged': 'PortOne 웹훅이 {n}번 도착했고, {n}번 모두 주문을 바꿨습니다.',
  'result.webhooksSomeChanged':
    'PortOne 웹훅이 {n}번 도착했습니다. {changed}번이 주문을 바꿨고, {unchanged}번은 PortOne에 다시 확인해도 새로운 것이 없어 아무것도 바꾸지 않았습니다.',
  'result.webhooksNoneChanged':
    'PortOne 웹훅이 {n}번 도착했지만 PortOne에 다시 확인해도 새로운 것이 없어 아무것도 바꾸지 않았습니다.',
  'result.webhooksOneRefused':
    'PortOne 웹훅이 한 번 도착했지만 서버가 받아들이지 않아(예: 서명이 맞지 않음) 아무것도 바꾸지 않았습니다.',
  'result.webhooksAllRefused':
    'PortOne 웹훅이 {n}번 도착했지만 서버가 하나도 받아들이지 않아(예: 서명이 맞지 않음) 아무것도 바꾸지 않았습니다.',
  'result.webhooksChangedAndRefused':
    'PortOne 웹훅이 {n}번 도착했습니다. {changed}번이 주문을 바꿨고, {refused}번은 서버가 받아들이지 않았습니다(예: 서명이 맞지 않음).',
  'result.webhooksSomeRefused':
    'PortOne 웹훅이 {n}번 도착했습니다. {changed}번이 주문을 바꿨고, {unchanged}번은 PortOne에 다시 확인해도 새로운 것이 없어 아무것도 바꾸지 않았으며, {refused}번은 서버가 받아들이지 않았습니다(예: 서명이 맞지 않음).',
  'status.refused': 'PortOne이 결제 거절',
  'history.unchanged': '서버 답 “{word}”, 바뀐 것 없음 (주문이 이미 그 상태였어요)',
} as const;

export type MessageKey = keyof typeof ko;

const en: Record<MessageKey, string> = {
  brand: 'Sodam Roastery',
  'brand.tagline': 'Specialty coffee, roasted every Tuesday',
  'lang.label': 'Language',
  'shop.title': 'Sodam Roastery · Beans and brewing gear',
  'shop.heading': "Pick today's coffee",
  'shop.lede':
    'This is a test shop: payments run in a PortOne test environment and nothing is charged.',
  'shop.products': 'Products',
  'shop.selected': 'Selected',
  'checkout.title': 'Your order',
  'checkout.quantity': 'Quantity 1',
  'checkout.shipping': 'Shipping',
  'checkout.shippingFree': 'Free',
  'checkout.total': 'Total',
  'checkout.method': 'Payment method',
  'method.card': 'Credit / debit card',
  'method.vbank': 'Virtual account (bank deposit)',
  'method.trans': 'Bank transfer',
  'method.phone': 'Mobile phone billing',
  pay: 'Pay',
  'pay.mobile': 'Pay on mobile',
  'pay.hint':
    'Pay uses the PC callback flow (POST /payments/complete); Pay on mobile uses the m_redirect_url redirect flow (GET /payments/complete).',
  'busy.order': 'Creating your order…',
  'pay.hint.v2':
    'Pay uses the PortOne.requestPayment callback flow (POST /v2/payments/complete); Pay on mobile uses the redirectUrl redirect flow (GET /v2/payments/complete). On a phone, Pay redirects too.',
  'checkout.api': 'PortOne API',
  'api.v1': 'V1 · iamport',
  'api.v2': 'V2 · current API',
  'api.v1.note':
    'Pays with IMP.request_pay and verifies by imp_uid. Its webhooks are unsigned, so every one is checked by re-querying the payment.',
  'api.v2.note':
    'The shop’s backend obtains a payment id (paymentId), pre-registered with its amount, then pays with PortOne.requestPayment. Its webhooks are signed (Standard Webhooks).',
  'busy.window': 'Complete the payment in the PortOne window…',
  'busy.redirect': 'Taking you to the payment page…',
  'busy.verify': 'Verifying the payment on the server…',
  'error.order': 'Could not create the order',
  'error.sdk': 'The PortOne SDK did not load. Check the network or the SDK address.',
  'error.network': 'Could not reach the server',
  'env.simulator': 'Test mode · PortOne simulator',
  'env.portone': 'PortOne test channel',
  footer: 'PortOne V1 and V2 payment-verification demo · the webhook settles every result.',
  'result.title': 'Order result · Sodam Roastery',
  'result.back': '← Back to the shop',
  'result.order': 'Order',
  'result.loading': 'Loading the order…',
  'result.browser': 'What the browser was told',
  'result.server': 'What the server says',
  'result.mismatch':
    'What the browser was told differs from what the server says now. The server (a fresh PortOne lookup) is always the reference.',
  'result.final': 'Confirmed',
  'result.provisional': 'Provisional',
  'result.finalHint': 'Confirmed directly with PortOne.',
  'result.provisionalHint': 'Verified through the browser path only; the webhook will confirm it.',
  'result.provisionalHintFailed':
    'Not confirmed yet; we are asking PortOne once more to make sure.',
  'result.product': 'Product',
  'result.amount': 'Order amount',
  'result.paid': 'Paid',
  'result.refunded': 'Refunded',
  'result.payMethod': 'Payment method',
  'result.none': 'None',
  'result.polling': 'This page updates by itself.',
  'result.settled': 'Nothing more to wait for; the page has stopped checking',
  'result.stopped': 'Stopped checking after 5 minutes without news.',
  'pending.loading': 'Looking up your order.',
  'pending.deposit': 'Waiting for your deposit.',
  'pending.confirmPaid': 'Waiting for PortOne to confirm the payment.',
  'pending.confirmFailed': 'Checking once more with PortOne that no money was taken.',
  'pending.payment': 'Waiting for the payment to go through.',
  'pending.refund': 'Waiting for the refund to go through.',
  'result.retry': 'Check again',
  'result.networkError': 'Could not reach the server; still retrying…',
  'result.history': 'History',
  'result.historyEmpty': 'No payment attempt recorded yet.',
  'result.attempts': 'Payment attempts',
  'result.current': 'current',
  'result.raw': 'Raw order view (GET /orders)',
  'result.sdkMessage': 'PortOne SDK message',
  'vbank.title': 'Please deposit to',
  'vbank.account': 'Virtual account',
  'vbank.bank': 'Bank',
  'vbank.number': 'Account number',
  'vbank.holder': 'Account holder',
  'vbank.due': 'Deposit by',
  deposit: 'Deposit (simulator)',
  'deposit.busy': 'Sending the deposit…',
  'deposit.sent': 'The simulator took the deposit. Waiting for the PortOne webhook…',
  'deposit.error': 'The deposit failed',
  'notFound.title': "We couldn't find this order",
  'notFound.text':
    'The address has no order number, or the order was never registered. Head back to the shop and order again.',
  'status.loading': 'Loading…',
  'status.pending': 'Awaiting payment',
  'status.vbank_issued': 'Awaiting deposit',
  'status.paid': 'Paid',
  'status.partially_cancelled': 'Partially refunded',
  'status.cancelled': 'Cancelled',
  'status.failed': 'Payment failed',
  'status.forgery': 'Rejected (tampered)',
  'note.pending':
    'The payment is not complete yet. If you closed the payment window, head back to the shop and try again.',
  'note.vbank_issued':
    'A virtual account was issued. Once you deposit, PortOne tells us by webhook and this page updates by itself.',
  'note.paid': 'Payment complete. Enjoy your coffee!',
  'note.paid.provisional':
    'The payment was verified through the browser path. Waiting for the PortOne webhook to confirm it.',
  'note.partially_cancelled': 'Part of the payment was refunded.',
  'note.cancelled': 'The payment was cancelled.',
  'note.failed': 'The payment did not go through. Head back to the shop and try again.',
  'note.failed.provisional':
    'The payment did not go through. We are checking once more with PortOne that no money was taken, and this page confirms it shortly. Feel free to try again.',
  'note.forgery': 'The amount did not match the order, so the payment was rejected.',
  'note.forgery.refunding':
    'The paid amount did not match the order, so the payment was rejected. The money is being refunded automatically.',
  'word.none': '(nothing reported)',
  'word.success': 'Success',
  'word.vbankIssued': 'Virtual account issued',
  'word.pending': 'Pending',
  'word.failed': 'Failed',
  'word.cancelled': 'Cancelled',
  'word.forgery': 'Forgery suspected',
  'word.invalid_request': 'Invalid request',
  'word.not_found': 'Order or payment not found',
  'word.upstream_error': 'PortOne unreachable',
  'source.complete': 'Browser callback',
  'source.redirect': 'Mobile redirect',
  'source.webhook': 'Webhook',
  'source.reconcile': 'Follow-up check',
  'source.cancel': 'Auto-cancellation',
  'verdict.forgery': 'forgery',
  'verdict.duplicate': 'duplicate payment',
  'demo.skipPrepare':
    'Demo control: do not pre-register this order’s amount with PortOne (then a tampered amount in the window shows forgery detection and the automatic refund)',
  'status.failed.closed': 'Window closed',
  'status.failed.declined': 'Declined by the card company',
  'note.closed':
    'You closed the payment window, so nothing was paid. Head back to the shop to try again.',
  'note.declined':
    'The card company declined the payment, so nothing was paid. Try again with another card or method.',
  'note.refused':
    'PortOne refused the payment and no money moved (its reason is above, e.g. an amount other than the one the shop pre-registered). The order is safe and still unpaid.',
  'note.forgery.refused':
    'The window asked for an amount other than the pre-registered one, so PortOne refused the payment: nothing was charged. The server still records that attempt as a forgery, since its amount does not match the order.',
  'note.forgery.refunded':
    'The paid amount did not match the order: the server detected the forgery and cancelled the payment, which was refunded in full.',
  'result.flag':
    'PortOne’s callback said {flag}. The server ignores that flag on purpose and asks PortOne itself; the status above is its answer.',
  'result.flagNone':
    'PortOne’s callback carried no success flag. The server never reads one anyway: it asks PortOne itself.',
  'result.flagRedirect':
    'PortOne sent the browser back to the server with its result flag (imp_success or success, or none) in the address. The server ignores that flag on purpose and asks PortOne itself; the status above is its answer.',
  'result.webhooksNone': 'No webhook has arrived for this order yet.',
  'result.webhooksOneChanged': 'PortOne’s webhook arrived once and changed the order.',
  'result.webhooksOneUnchanged':
    'PortOne’s webhook arrived once and changed nothing (PortOne, asked again, had nothing new).',
  'result.webhooksAllChanged':
    'PortOne’s webhook arrived {n} times, and all {n} changed the order.',
  'result.webhooksSomeChanged':
    'PortOne’s webhook arrived {n} times: {changed} changed the order, {unchanged} changed nothing (PortOne, asked again, had nothing new).',
  'result.webhooksNoneChanged':
    'PortOne’s webhook arrived {n} times and changed nothing (PortOne, asked again, had nothing new).',
  'result.webhooksOneRefused':
    'PortOne’s webhook arrived once and the server did not accept it (e.g. a signature that did not check out), so it changed nothing.',
  'result.webhooksAllRefused':
    'PortOne’s webhook arrived {n} times and the server accepted none (e.g. a signature that did not check out), so they changed nothing.',
  'result.webhooksChangedAndRefused':
    'PortOne’s webhook arrived {n} times: {changed} changed the order, and the server did not accept {refused} (e.g. a signature that did not check out).',
  'result.webhooksSomeRefused':
    'PortOne’s webhook arrived {n} times: {changed} changed the order, {unchanged} changed nothing (PortOne, asked again, had nothing new), and the server did not accept {refused} (e.g. a signature that did not check out).',
  'status.refused': 'Refused by PortOne',
  'history.unchanged': 'server answered “{word}”, nothing changed (the order already said so)',
};

export type Dictionary = Record<string, string>;

/** Every message in both languages, product names and descriptions included. */
export const DICTIONARY: Record<Lang, Dictionary> = {
  ko: { ...ko, ...productMessages('ko') },
  en: { ...en, ...productMessages('en') },
};

function productMessages(lang: Lang): Dictionary {
  return Object.fromEntries(
    CATALOG.flatMap((product) => [
      [`product.${product.id}.name`, product.name[lang]],
      [`product.${product.id}.desc`, product.description[lang]],
    ]),
  );
}

export const t = (lang: Lang, key: string): string =>
  DICTIONARY[lang][key] ?? DICTIONARY.ko[key] ?? key;
