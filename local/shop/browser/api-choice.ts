// The product page's V1/V2 switch: which PortOne API the next payment uses.
// The choice lasts for the browser session (sessionStorage), and `?api=v1|v2`
// sets it, so that a link or a test can pick one; V2 is the default because
// it is PortOne's current API, unless the stack runs without V2.
import { byId, find } from './dom';
import { readStorage, rememberChoice, session, writeStorage } from './storage';

export type Api = 'v1' | 'v2';

const KEY = 'shop.api';
const isApi = (value: unknown): value is Api => value === 'v1' || value === 'v2';

const { t } = window.Shop;
const config = window.SHOP;
const group = find('[data-testid="api-switch"]');
const buttons = Array.from(group.querySelectorAll<HTMLButtonElement>('[data-api]'));
const note = byId('api-note-text');
const hint = byId('pay-hint');

const initial = (): Api => {
  if (!config.v2) return 'v1';
  const fromQuery = new URLSearchParams(window.location.search).get('api');
  if (isApi(fromQuery)) {
    writeStorage(session, KEY, fromQuery);
    return fromQuery;
  }
  const stored = readStorage(session, KEY);
  return isApi(stored) ? stored : 'v2';
};

let api: Api = initial();

const show = (): void => {
  group.dataset.api = api;
  for (const button of buttons) {
    button.setAttribute('aria-pressed', String(button.dataset.api === api));
  }
  // Re-translated by common.ts on a language switch, through data-i18n.
  note.dataset.i18n = `api.${api}.note`;
  note.textContent = t(note.dataset.i18n);
  hint.dataset.i18n = api === 'v2' ? 'pay.hint.v2' : 'pay.hint';
  hint.textContent = t(hint.dataset.i18n);
};

const choose = (next: string | undefined): void => {
  if (!isApi(next) || next === api || (next === 'v2' && !config.v2)) return;
  api = next;
  rememberChoice(session, KEY, 'api', next);
  show();
};

for (const button of buttons) button.addEventListener('click', () => choose(button.dataset.api));
show();

export const chosenApi = (): Api => api;

/** While a payment is under way the API cannot change under it. */
export const lockApiSwitch = (locked: boolean): void => {
  for (const button of buttons) {
    button.disabled = locked || (button.dataset.api === 'v2' && !config.v2);
  }
};
