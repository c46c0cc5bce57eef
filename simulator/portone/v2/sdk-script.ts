import { SDK_SCRIPT_HELPERS } from '../sdk-script-helpers';

/**
 * The browser side of the V2 checkout: a stand-in for
 * `@portone/browser-sdk/v2` (the CDN build's global `PortOne`) with the same
 * calling convention: `PortOne.requestPayment(request)` returns a Promise of
 * `{transactionType: 'PAYMENT', paymentId, txId, code?, message?, pgCode?, pgMessage?}`.
 * Plain ES2015, no build step; it talks only to the simulator that served it
 * (found from its own `src`), via POST /__sim/v2/checkout/open and complete.
 *
 * Window type, as the real SDK decides it: on a mobile user agent
 * (`/Mobi|Android|iPhone|iPad|iPod/`) `windowType.mobile`, default
 * REDIRECTION; otherwise `windowType.pc`, default IFRAME. REDIRECTION sends
 * the browser to `redirectUrl?paymentId=…&transactionType=PAYMENT&txId=…`
 * (`&code=…&message=…` on failure) and, like the real SDK, never settles the
 * promise; any other type shows the overlay and resolves the promise.
 *
 * Overlay contract (pages and browser tests): `#portone-checkout`, buttons
 * `[data-portone-action="card|vbank|decline|tamper|close"]` (a VIRTUAL_ACCOUNT
 * window shows vbank, tamper and close; any other card, decline, tamper and close), fields
 * `[data-portone-field="tamper-amount|webhook-mode"]`.
 *
 * Language: `locale: 'EN_US'` (as PortOne's SDK takes it) shows the window in
 * English only, amounts as "₩15,000"; anything else shows it in Korean with
 * English next to it. PortOne's messages stay Korean in both, as PortOne's do.
 */

const PLACEHOLDER = '"__PORTONE_SIM_FALLBACK_BASE__"';

const SOURCE = String.raw`/* PortOne V2 browser SDK stand-in served by the PortOne simulator (not the real SDK). */
(function () {
  'use strict';
  if (typeof window === 'undefined' || typeof document === 'undefined') return;

  var FALLBACK_BASE = "__PORTONE_SIM_FALLBACK_BASE__";
  var SCRIPT_PATH = '/v2-browser-sdk.js';
  var TAG = '[PortOne V2 simulator]';
  var CODE_PORTONE = 'PORTONE_ERROR';
  var BASE_FROM_SCRIPT = './';

${SDK_SCRIPT_HELPERS}
  function isMobile() {
    var ua = typeof navigator !== 'undefined' && navigator.userAgent ? String(navigator.userAgent) : '';
    return /Mobi|Android|iPhone|iPad|iPod/i.test(ua);
  }

  function windowTypeOf(request) {
    var types = request.windowType && typeof request.windowType === 'object' ? request.windowType : {};
    return isMobile() ? (types.mobile || 'REDIRECTION') : (types.pc || 'IFRAME');
  }

  function failure(request, message) {
    return {
      transactionType: 'PAYMENT',
      paymentId: request.paymentId == null ? '' : String(request.paymentId),
      txId: '',
      code: CODE_PORTONE,
      message: message
    };
  }

  function redirectTarget(base, response) {
    var parts = [];
    function add(key, value) {
      parts.push(encodeURIComponent(key) + '=' + encodeURIComponent(String(value)));
    }
    add('paymentId', response.paymentId);
    add('transactionType', response.transactionType);
    add('txId', response.txId);
    if (response.code != null) add('code', response.code);
    if (response.message != null) add('message', response.message);
    return base + (base.indexOf('?') >= 0 ? '&' : '?') + parts.join('&');
  }

  function copyOf(request) {
    try {
      var copy = JSON.parse(JSON.stringify(request));
      return copy && typeof copy === 'object' ? copy : {};
    } catch (e) {
      return {};
    }
  }

  /** requestPayment's locale: EN_US (any EN_…) shows the window in English; anything else, Korean. */
  function isEnglish(request) {
    return /^EN/i.test(String(request.locale || ''));
  }

  var MODES = [
    ['normal', '정상 · normal', 'Normal'],
    ['delayed', '지연 · delayed', 'Delayed'],
    ['duplicate', '중복 · duplicate (x2)', 'Duplicate (×2)'],
    ['wrong_signature', '잘못된 서명 · wrong signature', 'Wrong signature'],
    ['stale_timestamp', '오래된 타임스탬프 · stale timestamp', 'Stale timestamp'],
    ['none', '보내지 않음 · none', 'None']
  ];
  // The payMethod codes PortOne V2 takes, in the shopper's words (the window never shows the code itself).
  var PAY_METHODS = {
    CARD: ['카드', 'Card'], VIRTUAL_ACCOUNT: ['가상계좌', 'Virtual account'], TRANSFER: ['계좌이체', 'Bank transfer'],
    MOBILE: ['휴대폰 소액결제', 'Mobile phone billing'], GIFT_CERTIFICATE: ['상품권', 'Gift certificate'],
    EASY_PAY: ['간편결제', 'Easy pay'], PAYPAL: ['PayPal', 'PayPal'], ALIPAY: ['Alipay', 'Alipay'],
    CONVENIENCE_STORE: ['편의점 결제', 'Convenience store']
  };

  function methodLabel(method, english) {
    var names = Object.prototype.hasOwnProperty.call(PAY_METHODS, method) ? PAY_METHODS[method] : null;
    return names ? say(english, names[0], names[1]) : method;
  }

  var BUTTON = 'display:block;width:100%;margin:6px 0;padding:10px 12px;font-size:14px;border-radius:8px;cursor:pointer;border:1px solid ';

  /** The window: the shopper's buttons; finish(answer) once the simulator answered. */
  function showOverlay(request, finish) {
    var english = isEnglish(request);
    var overlay = el('div', {
      id: 'portone-checkout',
      role: 'dialog',
      'aria-modal': 'true',
      'aria-label': say(english, 'PortOne V2 결제 시뮬레이터', 'PortOne V2 payment simulator'),
      'data-payment-id': String(request.paymentId),
      lang: english ? 'en' : 'ko',
      style: 'position:fixed;top:0;left:0;right:0;bottom:0;z-index:2147483647;background:rgba(0,0,0,0.45);display:flex;align-items:center;justify-content:center;font-family:-apple-system,BlinkMacSystemFont,"Apple SD Gothic Neo","Malgun Gothic",sans-serif'
    });
    var box = el('div', { style: 'background:#fff;width:400px;max-width:92vw;max-height:92vh;overflow:auto;border-radius:12px;box-shadow:0 10px 40px rgba(0,0,0,0.35);color:#111' });
    overlay.appendChild(box);
    var header = el('div', { style: 'display:flex;align-items:center;justify-content:space-between;padding:12px 16px;background:#0b3d91;color:#fff' });
    header.appendChild(el('strong', { style: 'font-size:14px' }, say(english, 'PortOne V2 결제 시뮬레이터 · Payment simulator', 'PortOne V2 payment simulator')));
    var closeButton = el('button', { type: 'button', 'data-portone-action': 'close', 'aria-label': say(english, '결제창 닫기', 'Close the payment window'), title: say(english, '결제창 닫기', 'Close the payment window'), style: 'background:none;border:0;color:#fff;font-size:22px;line-height:1;cursor:pointer;padding:0 4px' }, '×');
    header.appendChild(closeButton);
    box.appendChild(header);

    var body = el('div', { style: 'padding:16px' });
    box.appendChild(body);
    body.appendChild(el('div', { 'data-portone-field': 'order-name', style: 'font-size:15px;color:#333' }, request.orderName == null ? say(english, '(주문명 없음)', '(no order name)') : String(request.orderName)));
    body.appendChild(el('div', { 'data-portone-field': 'amount', style: 'font-size:26px;font-weight:700;margin:4px 0 8px' }, formatAmount(request.totalAmount, request.currency, english)));
    var method = String(request.payMethod || 'CARD');
    body.appendChild(el('div', { 'data-portone-field': 'pay-method', 'data-method': method, style: 'font-size:13px;color:#555' }, say(english, '결제수단: ', 'Payment method: ') + methodLabel(method, english)));
    body.appendChild(el('div', { style: 'font-size:12px;color:#888;margin:2px 0 10px;word-break:break-all' }, 'paymentId: ' + String(request.paymentId)));

    var buttons = [closeButton];
    function button(action, label, color) {
      var primary = action === 'card';
      var node = el('button', { type: 'button', 'data-portone-action': action, style: BUTTON + color + ';background:' + (primary ? color : '#fff') + ';color:' + (primary ? '#fff' : color) }, label);
      buttons.push(node);
      return node;
    }
    // Like PortOne's window, only what the chosen method can do: a virtual-account payment issues an account.
    if (String(request.payMethod) === 'VIRTUAL_ACCOUNT') {
      body.appendChild(button('vbank', say(english, '가상계좌 발급 · Issue virtual account', 'Issue virtual account'), '#0a7d4f'));
    } else {
      body.appendChild(button('card', say(english, '결제 승인 · Approve', 'Approve'), '#1b64da'));
      body.appendChild(button('decline', say(english, '카드 승인 거절 · Declined', 'Declined'), '#c62828'));
    }
    var tamperRow = el('div', { style: 'display:flex;gap:6px;align-items:center' });
    var tamper = button('tamper', say(english, '다른 금액으로 결제 · Pay another amount', 'Pay another amount'), '#8a5a00');
    tamper.style.cssText += ';flex:1';
    var tamperAmount = el('input', { type: 'number', min: '0', step: '1', 'data-portone-field': 'tamper-amount', 'aria-label': say(english, '변조 금액 · tampered amount', 'Tampered amount'), style: 'width:90px;padding:8px;font-size:14px;border:1px solid #ccc;border-radius:8px' });
    tamperAmount.value = '100';
    tamperRow.appendChild(tamper);
    tamperRow.appendChild(tamperAmount);
    body.appendChild(tamperRow);

    var label = el('label', { style: 'display:flex;align-items:center;justify-content:space-between;gap:8px;margin:10px 0 0;padding-top:8px;border-top:1px solid #eee;font-size:13px;color:#333' });
    label.appendChild(el('span', { style: 'white-space:nowrap' }, say(english, '웹훅 · Webhook', 'Webhook')));
    var mode = el('select', { 'data-portone-field': 'webhook-mode', style: SELECT_STYLE });
    for (var m = 0; m < MODES.length; m += 1) mode.appendChild(el('option', { value: MODES[m][0] }, english ? MODES[m][2] : MODES[m][1]));
    mode.value = 'normal';
    label.appendChild(mode);
    body.appendChild(label);
    var status = el('div', { role: 'status', 'data-portone-field': 'status', style: 'min-height:18px;margin-top:8px;font-size:13px;color:#c62828' });
    body.appendChild(status);

    var pending = false;
    function setDisabled(disabled) {
      for (var i = 0; i < buttons.length; i += 1) buttons[i].disabled = disabled;
    }
    function done(answer) {
      if (overlay.parentNode) overlay.parentNode.removeChild(overlay);
      finish(answer);
    }
    function act(action) {
      if (pending) return;
      pending = true;
      setDisabled(true);
      status.style.color = '#555';
      status.textContent = say(english, '처리 중… · processing', 'Processing…');
      var body = { request: request, action: action, webhookMode: mode.value || 'normal' };
      if (action === 'tamper') {
        var raw = String(tamperAmount.value == null ? '' : tamperAmount.value).trim();
        if (raw !== '') body.tamperAmount = Number(raw);
      }
      post('/__sim/v2/checkout/complete', body).then(done, function (error) {
        pending = false;
        if (error && error.status >= 400 && error.status < 500 && action !== 'close') {
          setDisabled(false);
          status.style.color = '#c62828';
          status.textContent = say(english, '오류 · error: ', 'Error: ') + error.message;
          return;
        }
        if (typeof console !== 'undefined') console.error(TAG, 'checkout/complete failed:', error);
        done({ response: failure(request, '결제 시뮬레이터와 통신하지 못했습니다: ' + (error && error.message)) });
      });
    }
    for (var i = 0; i < buttons.length; i += 1) {
      (function (node) {
        node.addEventListener('click', function (event) {
          if (event && event.preventDefault) event.preventDefault();
          act(node.getAttribute('data-portone-action'));
        });
      })(buttons[i]);
    }
    (document.body || document.documentElement).appendChild(overlay);
    try { buttons[1].focus(); } catch (e) { /* ignore */ }
  }

  function requestPayment(request) {
    return new Promise(function (resolve) {
      if (!request || typeof request !== 'object') {
        resolve(failure({}, '결제 요청 파라미터가 올바르지 않습니다.'));
        return;
      }
      var copy = copyOf(request);
      var redirect = windowTypeOf(copy) === 'REDIRECTION';
      if (redirect && !copy.redirectUrl) {
        resolve(failure(copy, 'REDIRECTION 방식에는 redirectUrl이 필요합니다.'));
        return;
      }
      if (document.getElementById('portone-checkout')) {
        resolve(failure(copy, '이미 결제창이 열려 있습니다.'));
        return;
      }
      // Redirect or resolve, never both; after a redirect the page is gone, as with the real SDK.
      function finish(answer) {
        var response = (answer && answer.response) || failure(copy, 'malformed simulator answer');
        if (redirect) {
          window.location.href = answer && typeof answer.redirect === 'string'
            ? answer.redirect
            : redirectTarget(String(copy.redirectUrl), response);
          return;
        }
        resolve(response);
      }
      post('/__sim/v2/checkout/open', { request: copy }).then(function (answer) {
        if (answer.blocked) {
          finish(answer);
          return;
        }
        try {
          showOverlay(copy, finish);
        } catch (error) {
          finish({ response: failure(copy, '결제창을 열 수 없습니다: ' + (error && error.message)) });
        }
      }, function (error) {
        if (typeof console !== 'undefined') console.error(TAG, 'checkout/open failed:', error);
        finish({ response: failure(copy, '결제창을 열 수 없습니다: ' + (error && error.message)) });
      });
    });
  }

  function notSimulated(name) {
    return function () {
      if (typeof console !== 'undefined') console.warn(TAG, 'PortOne.' + name + ' is not simulated');
      return Promise.resolve({ code: CODE_PORTONE, message: '시뮬레이터는 ' + name + '을(를) 지원하지 않습니다.' });
    };
  }

  if (window.PortOne && typeof console !== 'undefined') {
    console.warn(TAG, 'window.PortOne already defined; replacing it with the simulator SDK');
  }
  window.PortOne = {
    simulator: true,
    simulatorUrl: BASE,
    requestPayment: requestPayment,
    requestIssueBillingKey: notSimulated('requestIssueBillingKey'),
    requestIdentityVerification: notSimulated('requestIdentityVerification')
  };
})();
`;

/**
 * The SDK's source. `fallbackBaseUrl` is used only when the script cannot
 * find its own `src` (e.g. injected without a src attribute).
 */
export function v2BrowserSdkScript(fallbackBaseUrl: string): string {
  return SOURCE.replace(PLACEHOLDER, JSON.stringify(fallbackBaseUrl));
}
