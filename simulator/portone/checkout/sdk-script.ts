import { SDK_SCRIPT_HELPERS } from '../sdk-script-helpers';

/**
 * The browser side of the checkout simulator: a stand-in for
 * `https://cdn.iamport.kr/v1/iamport.js` with the same calling convention
 * (`IMP.init(code)`, `IMP.request_pay(params, callback)`). Plain ES2020, no
 * build step; it talks only to the simulator that served it (found from its
 * own `src`), via POST /__sim/checkout/open and /__sim/checkout/complete.
 *
 * Overlay contract (used by pages and browser tests): `#imp-checkout`, buttons
 * `[data-imp-action="card|vbank|decline|tamper|close|transfer_later|pending|fail_then_pay"]`
 * (the last three leave the payment ready or failed; POST /__sim/checkout/approve
 * or a timer pays it later; a `pay_method: 'vbank'` window shows only vbank, tamper
 * and close, any other only the rest), fields
 * `[data-imp-field="tamper-amount|webhook|flag"]`.
 *
 * Language: `language: 'en'` (as PortOne's own window takes it) shows the
 * window in English only, amounts as "₩15,000"; anything else shows it in
 * Korean with English next to it. PortOne's messages (error_msg) stay Korean
 * in both, as PortOne's do.
 */

const PLACEHOLDER = '"__IMP_SIM_FALLBACK_BASE__"';

const SOURCE = String.raw`/* PortOne V1 SDK stand-in served by the PortOne simulator (not the real SDK). */
(function () {
  'use strict';
  if (typeof window === 'undefined' || typeof document === 'undefined') return;

  var FALLBACK_BASE = "__IMP_SIM_FALLBACK_BASE__";
  var SCRIPT_PATH = '/v1/iamport.js';
  var TAG = '[PortOne simulator]';
  var BASE_FROM_SCRIPT = '../';

${SDK_SCRIPT_HELPERS}
  var initialized = false;
  var merchantCode = null;
  var opening = false;

  var PAY_METHODS_EN = {
    card: 'Credit card', vbank: 'Virtual account', trans: 'Bank transfer', phone: 'Mobile phone billing'
  };

  /** IMP.request_pay's language: 'en' shows the window in English; anything else, Korean. */
  function isEnglish(params) {
    return /^en/i.test(String(params.language || ''));
  }

  function methodLabel(method, english) {
    var names = english ? PAY_METHODS_EN : PAY_METHODS;
    return names[method] ? names[method] + ' (' + method + ')' : method;
  }

  var PAY_METHODS = {
    card: '신용카드', vbank: '가상계좌', trans: '실시간계좌이체', phone: '휴대폰소액결제',
    samsung: '삼성페이', kpay: 'KPay', kakaopay: '카카오페이', payco: 'PAYCO',
    lpay: 'LPAY', ssgpay: 'SSG페이', tosspay: '토스페이', cultureland: '문화상품권',
    smartculture: '스마트문화상품권', happymoney: '해피머니', booknlife: '도서문화상품권',
    point: '포인트', paypal: 'PayPal', naverpay: '네이버페이'
  };

  function copyParams(params) {
    try {
      var copy = JSON.parse(JSON.stringify(params));
      return copy && typeof copy === 'object' ? copy : {};
    } catch (e) {
      var plain = {};
      for (var key in params) {
        if (Object.prototype.hasOwnProperty.call(params, key)) plain[key] = params[key];
      }
      return plain;
    }
  }

  function pgProvider(params) {
    var pg = typeof params.pg === 'string' && params.pg ? params.pg : 'html5_inicis';
    return pg.split('.')[0] || 'html5_inicis';
  }

  function localFailure(params, flag, code, message) {
    var report = {};
    if (flag === 'success') report.success = false;
    else if (flag !== 'none') report.imp_success = false;
    report.imp_uid = null;
    report.merchant_uid = params.merchant_uid == null ? null : String(params.merchant_uid);
    report.pay_method = params.pay_method || 'card';
    report.paid_amount = 0;
    report.status = 'failed';
    report.name = params.name == null ? null : String(params.name);
    report.pg_provider = pgProvider(params);
    report.error_code = code;
    report.error_msg = message;
    return { blocked: true, report: report };
  }

  function redirectTarget(base, report) {
    var parts = [];
    function add(key, value) {
      parts.push(encodeURIComponent(key) + '=' + encodeURIComponent(String(value)));
    }
    if (report.imp_uid != null) add('imp_uid', report.imp_uid);
    if (report.merchant_uid != null) add('merchant_uid', report.merchant_uid);
    if (typeof report.imp_success === 'boolean') add('imp_success', report.imp_success);
    if (typeof report.success === 'boolean') add('success', report.success);
    if (report.error_code != null) add('error_code', report.error_code);
    if (report.error_msg != null) add('error_msg', report.error_msg);
    return base + (base.indexOf('?') >= 0 ? '&' : '?') + parts.join('&');
  }

  /** Redirect (m_redirect_url) or callback, never both — like PortOne V1. */
  function deliver(params, answer, callback) {
    var report = (answer && answer.report) || {};
    if (params.m_redirect_url) {
      var target = answer && typeof answer.redirect === 'string'
        ? answer.redirect
        : redirectTarget(String(params.m_redirect_url), report);
      window.location.href = target;
      return;
    }
    if (typeof callback === 'function') {
      try {
        callback(report);
      } catch (error) {
        setTimeout(function () { throw error; }, 0);
      }
    } else if (typeof console !== 'undefined') {
      console.info(TAG, 'request_pay result (no callback given):', report);
    }
  }

  function select(field, options, label) {
    var wrapper = el('label', { style: 'display:flex;align-items:center;justify-content:space-between;gap:8px;margin:6px 0;font-size:13px;color:#333' });
    wrapper.appendChild(el('span', { style: 'white-space:nowrap' }, label));
    var input = el('select', { 'data-imp-field': field, style: SELECT_STYLE });
    for (var i = 0; i < options.length; i += 1) {
      var option = el('option', { value: options[i][0] }, options[i][1]);
      if (i === 0) option.setAttribute('selected', 'selected');
      input.appendChild(option);
    }
    input.value = options[0][0];
    wrapper.appendChild(input);
    return { wrapper: wrapper, input: input };
  }

  var BUTTON = 'display:block;width:100%;margin:6px 0;padding:10px 12px;font-size:14px;border-radius:8px;cursor:pointer;border:1px solid ';

  function showOverlay(params, callback) {
    var english = isEnglish(params);
    var old = document.getElementById('imp-checkout');
    if (old && old.parentNode) old.parentNode.removeChild(old);

    var overlay = el('div', {
      id: 'imp-checkout',
      role: 'dialog',
      'aria-modal': 'true',
      'aria-label': say(english, 'PortOne 결제 시뮬레이터', 'PortOne payment simulator'),
      'data-merchant-uid': String(params.merchant_uid),
      lang: english ? 'en' : 'ko',
      style: 'position:fixed;top:0;left:0;right:0;bottom:0;z-index:2147483647;background:rgba(0,0,0,0.45);display:flex;align-items:center;justify-content:center;font-family:-apple-system,BlinkMacSystemFont,"Apple SD Gothic Neo","Malgun Gothic",sans-serif'
    });
    var box = el('div', { style: 'background:#fff;width:400px;max-width:92vw;max-height:92vh;overflow:auto;border-radius:12px;box-shadow:0 10px 40px rgba(0,0,0,0.35);color:#111' });
    overlay.appendChild(box);

    var header = el('div', { style: 'display:flex;align-items:center;justify-content:space-between;padding:12px 16px;background:#1a1f36;color:#fff' });
    header.appendChild(el('strong', { style: 'font-size:14px' }, say(english, 'PortOne 결제 시뮬레이터 · Payment simulator', 'PortOne payment simulator')));
    var closeButton = el('button', { type: 'button', 'data-imp-action': 'close', 'aria-label': say(english, '결제창 닫기', 'Close the payment window'), title: say(english, '결제창 닫기', 'Close the payment window'), style: 'background:none;border:0;color:#fff;font-size:22px;line-height:1;cursor:pointer;padding:0 4px' }, '×');
    header.appendChild(closeButton);
    box.appendChild(header);

    var body = el('div', { style: 'padding:16px' });
    box.appendChild(body);
    body.appendChild(el('div', { 'data-imp-field': 'name', style: 'font-size:15px;color:#333' }, params.name == null ? say(english, '(이름 없음)', '(no name)') : String(params.name)));
    body.appendChild(el('div', { 'data-imp-field': 'amount', style: 'font-size:26px;font-weight:700;margin:4px 0 8px' }, formatAmount(params.amount, params.currency, english)));
    var method = params.pay_method ? String(params.pay_method) : 'card';
    body.appendChild(el('div', { 'data-imp-field': 'pay-method', style: 'font-size:13px;color:#555' }, say(english, '결제수단 · pay_method: ', 'Payment method: ') + methodLabel(method, english)));
    body.appendChild(el('div', { style: 'font-size:12px;color:#888;margin:2px 0 10px;word-break:break-all' }, 'merchant_uid: ' + String(params.merchant_uid) + (merchantCode ? ' · ' + merchantCode : '')));

    var buttons = [closeButton];
    function button(action, label, color) {
      var node = el('button', { type: 'button', 'data-imp-action': action, style: BUTTON + color + ';background:' + (action === 'card' ? color : '#fff') + ';color:' + (action === 'card' ? '#fff' : color) }, label);
      buttons.push(node);
      return node;
    }
    // Like PortOne's window, only what the chosen method can do: a virtual-account order issues an account.
    if (method === 'vbank') {
      body.appendChild(button('vbank', say(english, '가상계좌 발급 · Issue virtual account', 'Issue virtual account'), '#0a7d4f'));
    } else {
      body.appendChild(button('card', say(english, '카드 결제 승인 · Approve (card)', 'Approve (card)'), '#1b64da'));
      body.appendChild(button('decline', say(english, '카드 승인 거절 · Card declined', 'Card declined'), '#c62828'));
      body.appendChild(button('transfer_later', say(english, '계좌이체 (승인 지연) · Bank transfer, approved ~3 s later', 'Bank transfer, approved ~3 s later'), '#00695c'));
      body.appendChild(button('pending', say(english, 'PayPal 대기 (나중에 승인) · PayPal pending, approved later', 'PayPal pending, approved later'), '#5e35b1'));
      body.appendChild(button('fail_then_pay', say(english, '실패 후 승인 (Paymentwall) · Failed, approved later', 'Failed, approved later (Paymentwall)'), '#ad1457'));
    }

    var tamperRow = el('div', { style: 'display:flex;gap:6px;align-items:center' });
    var tamper = button('tamper', say(english, '다른 금액으로 결제 · Pay another amount', 'Pay another amount'), '#8a5a00');
    tamper.style.cssText += ';flex:1';
    var tamperAmount = el('input', { type: 'number', min: '0', step: 'any', 'data-imp-field': 'tamper-amount', 'aria-label': say(english, '변조 금액 · tampered amount', 'Tampered amount'), style: 'width:90px;padding:8px;font-size:14px;border:1px solid #ccc;border-radius:8px' });
    tamperAmount.value = '100';
    tamperRow.appendChild(tamper);
    tamperRow.appendChild(tamperAmount);
    body.appendChild(tamperRow);

    var options = el('div', { style: 'margin-top:10px;padding-top:8px;border-top:1px solid #eee' });
    var webhook = select('webhook', [
      ['immediate', say(english, '즉시 · immediate', 'Immediate')],
      ['delayed', say(english, '2초 후 · delayed (2 s)', 'Delayed (2 s)')],
      ['duplicated', say(english, '3번 중복 · duplicated (×3)', 'Duplicated (×3)')],
      ['after_redirect', say(english, '브라우저 결과 후 · after redirect (1.5 s)', 'After the browser result (1.5 s)')],
      ['never', say(english, '보내지 않음 · never', 'Never')]
    ], say(english, '웹훅 · Webhook', 'Webhook'));
    var flag = select('flag', [
      ['imp_success', 'imp_success'],
      ['success', 'success'],
      ['none', say(english, '없음 · none', 'None')]
    ], say(english, '결과 플래그 · Result flag', 'Result flag'));
    options.appendChild(webhook.wrapper);
    options.appendChild(flag.wrapper);
    body.appendChild(options);
    var status = el('div', { role: 'status', 'data-imp-field': 'status', style: 'min-height:18px;margin-top:8px;font-size:13px;color:#c62828' });
    body.appendChild(status);

    var pending = false;
    function setDisabled(disabled) {
      for (var i = 0; i < buttons.length; i += 1) buttons[i].disabled = disabled;
    }
    function finish(answer) {
      if (overlay.parentNode) overlay.parentNode.removeChild(overlay);
      deliver(params, answer, callback);
    }
    function act(action) {
      if (pending) return;
      pending = true;
      setDisabled(true);
      status.style.color = '#555';
      status.textContent = say(english, '처리 중… · processing', 'Processing…');
      var request = { params: params, action: action, webhook: webhook.input.value || 'immediate', flag: flag.input.value || 'imp_success' };
      if (action === 'tamper') {
        var raw = String(tamperAmount.value == null ? '' : tamperAmount.value).trim();
        if (raw !== '') request.tamperAmount = Number(raw);
      }
      post('/__sim/checkout/complete', request).then(finish, function (error) {
        pending = false;
        if (error && error.status >= 400 && error.status < 500 && action !== 'close') {
          setDisabled(false);
          status.style.color = '#c62828';
          status.textContent = say(english, '오류 · error: ', 'Error: ') + error.message;
          return;
        }
        if (typeof console !== 'undefined') console.error(TAG, 'checkout/complete failed:', error);
        finish(localFailure(params, request.flag, 'F9999', '결제 시뮬레이터와 통신하지 못했습니다: ' + (error && error.message)));
      });
    }
    for (var i = 0; i < buttons.length; i += 1) {
      (function (node) {
        node.addEventListener('click', function (event) {
          if (event && event.preventDefault) event.preventDefault();
          act(node.getAttribute('data-imp-action'));
        });
      })(buttons[i]);
    }

    (document.body || document.documentElement).appendChild(overlay);
    try { buttons[1].focus(); } catch (e) { /* ignore */ }
  }

  function requestPay(params, callback) {
    if (!initialized && typeof console !== 'undefined') {
      console.warn(TAG, 'IMP.request_pay called before IMP.init(...); continuing anyway.');
    }
    if (!params || typeof params !== 'object') {
      if (typeof console !== 'undefined') console.error(TAG, 'IMP.request_pay needs a params object');
      deliver({}, localFailure({}, 'imp_success', 'F0001', '결제 요청 파라미터가 올바르지 않습니다.'), callback);
      return;
    }
    var copy = copyParams(params);
    if (opening || document.getElementById('imp-checkout')) {
      if (typeof console !== 'undefined') console.warn(TAG, 'a payment window is already open; ignoring request_pay');
      return;
    }
    opening = true;
    var open = { merchant_uid: copy.merchant_uid, amount: copy.amount, currency: copy.currency || 'KRW', params: copy };
    post('/__sim/checkout/open', open).then(function (answer) {
      opening = false;
      if (answer.blocked) {
        deliver(copy, answer, callback);
        return;
      }
      try {
        showOverlay(copy, callback);
      } catch (error) {
        if (typeof console !== 'undefined') console.error(TAG, 'could not show the payment window:', error);
        deliver(copy, localFailure(copy, 'imp_success', 'F9999', '결제창을 열 수 없습니다: ' + (error && error.message)), callback);
      }
    }, function (error) {
      opening = false;
      if (typeof console !== 'undefined') console.error(TAG, 'checkout/open failed:', error);
      deliver(copy, localFailure(copy, 'imp_success', 'F9999', '결제창을 열 수 없습니다: ' + (error && error.message)), callback);
    });
  }

  if (window.IMP && typeof console !== 'undefined') {
    console.warn(TAG, 'window.IMP already defined; replacing it with the simulator SDK');
  }
  window.IMP = {
    simulator: true,
    simulatorUrl: BASE,
    init: function (code) {
      initialized = true;
      merchantCode = code == null ? null : String(code);
    },
    agency: function (code) {
      initialized = true;
      merchantCode = code == null ? null : String(code);
    },
    request_pay: requestPay,
    certification: function (params, callback) {
      if (typeof console !== 'undefined') console.warn(TAG, 'IMP.certification is not simulated');
      if (typeof callback === 'function') {
        callback({ success: false, imp_uid: null, merchant_uid: params && params.merchant_uid, error_code: 'F0000', error_msg: '시뮬레이터는 본인인증을 지원하지 않습니다.' });
      }
    }
  };
})();
`;

/**
 * The SDK's source. `fallbackBaseUrl` is used only when the script cannot
 * find its own `src` (e.g. injected without a src attribute).
 */
export function iamportScript(fallbackBaseUrl: string): string {
  return SOURCE.replace(PLACEHOLDER, JSON.stringify(fallbackBaseUrl));
}
