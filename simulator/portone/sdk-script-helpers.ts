/**
 * The page-side helpers both SDK stand-ins share (V1's iamport.js, V2's
 * browser SDK): find the simulator that served the script, post to it, build
 * DOM nodes, pick the window's words, show an amount. Plain ES2015 source,
 * inlined into each script's function body, which defines FALLBACK_BASE, SCRIPT_PATH and
 * BASE_FROM_SCRIPT (the simulator's base relative to the script's own URL)
 * before it.
 */
export const SDK_SCRIPT_HELPERS = String.raw`  function findBase() {
    try {
      var src = document.currentScript && document.currentScript.src;
      if (!src && document.getElementsByTagName) {
        var scripts = document.getElementsByTagName('script');
        for (var i = scripts.length - 1; i >= 0; i -= 1) {
          var candidate = scripts[i] && scripts[i].src;
          if (candidate && candidate.indexOf(SCRIPT_PATH) >= 0) { src = candidate; break; }
        }
      }
      if (src) return new URL(BASE_FROM_SCRIPT, src).href.replace(/\/+$/, '');
    } catch (e) { /* fall through */ }
    return String(FALLBACK_BASE).replace(/\/+$/, '');
  }

  var BASE = findBase();

  function post(path, body) {
    if (typeof fetch !== 'function') return Promise.reject(new Error('fetch is not available'));
    return fetch(BASE + path, {
      method: 'POST',
      mode: 'cors',
      credentials: 'omit',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.text().then(function (text) {
        var data = null;
        try { data = JSON.parse(text); } catch (e) { data = null; }
        if (!response.ok) {
          var error = new Error((data && data.message) || ('HTTP ' + response.status));
          error.status = response.status;
          throw error;
        }
        if (!data || typeof data !== 'object') throw new Error('malformed simulator answer');
        return data;
      });
    });
  }

  /** The window's words: English only when the page asked for English, else Korean (with English). */
  function say(english, ko, en) {
    return english ? en : ko;
  }

  function formatAmount(amount, currency, english) {
    var code = String(currency || 'KRW').replace(/^CURRENCY_/, '');
    var value = Number(amount);
    try {
      if (code === 'KRW' && !english) return value.toLocaleString('ko-KR') + '원';
      return new Intl.NumberFormat('en-US', { style: 'currency', currency: code }).format(value);
    } catch (e) {
      return String(amount) + ' ' + code;
    }
  }

  // A drop-down that looks like one whatever the page's CSS says (a shop's select { appearance: none }).
  var SELECT_STYLE = 'appearance:auto;-webkit-appearance:menulist;-moz-appearance:menulist;padding:4px 6px;font-size:13px;border:1px solid #ccc;border-radius:6px;background:#fff;color:#111;cursor:pointer';

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    if (attrs) {
      for (var key in attrs) {
        if (!Object.prototype.hasOwnProperty.call(attrs, key)) continue;
        if (key === 'style') node.style.cssText = attrs[key];
        else node.setAttribute(key, attrs[key]);
      }
    }
    if (text != null) node.textContent = text;
    return node;
  }
`;
