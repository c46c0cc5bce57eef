import vm from 'node:vm';

/**
 * A tiny DOM for running the simulator's browser SDK stand-ins in a
 * node:vm context: enough elements, attributes, clicks and lookups for the
 * overlays, without a browser. The headless-Chromium tests cover the rest.
 */
export class FakeElement {
  children: FakeElement[] = [];
  parentNode: FakeElement | null = null;
  readonly attributes = new Map<string, string>();
  readonly style = { cssText: '' };
  readonly listeners: Array<(event: unknown) => void> = [];
  textContent = '';
  value = '';
  disabled = false;

  constructor(readonly tagName: string) {}

  setAttribute(name: string, value: unknown) {
    this.attributes.set(name, String(value));
  }
  getAttribute(name: string) {
    return this.attributes.get(name) ?? null;
  }
  appendChild(child: FakeElement) {
    child.parentNode?.removeChild(child);
    child.parentNode = this;
    this.children.push(child);
    return child;
  }
  removeChild(child: FakeElement) {
    this.children = this.children.filter((c) => c !== child);
    child.parentNode = null;
    return child;
  }
  addEventListener(type: string, listener: (event: unknown) => void) {
    if (type === 'click') this.listeners.push(listener);
  }
  focus() {}
  click() {
    if (this.disabled) return;
    for (const listener of this.listeners) listener({ preventDefault() {} });
  }
  *walk(): Generator<FakeElement> {
    yield this;
    for (const child of this.children) yield* child.walk();
  }
  find(name: string, value: string): FakeElement | undefined {
    for (const node of this.walk()) if (node.getAttribute(name) === value) return node;
    return undefined;
  }
  get allText(): string {
    return [...this.walk()].map((n) => n.textContent).join(' ');
  }
}

export interface FakeScriptPage {
  /** The script's global object (window): IMP or PortOne lands here. */
  global: Record<string, unknown>;
  body: FakeElement;
  location: { href: string };
  warnings: unknown[][];
  errors: unknown[][];
}

/** Fetches the script from the simulator and runs it as a page at `http://shop.test/checkout` would. */
export async function runScript(
  scriptUrl: string,
  options: { userAgent?: string } = {},
): Promise<FakeScriptPage> {
  const source = await (await fetch(scriptUrl)).text();
  const body = new FakeElement('body');
  const warnings: unknown[][] = [];
  const errors: unknown[][] = [];
  const document = {
    body,
    documentElement: body,
    currentScript: { src: scriptUrl },
    createElement: (tag: string) => new FakeElement(tag),
    getElementById: (id: string) => body.find('id', id) ?? null,
    getElementsByTagName: () => [],
  };
  const location = { href: 'http://shop.test/checkout' };
  const context = vm.createContext({
    document,
    location,
    navigator: { userAgent: options.userAgent ?? 'Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0' },
    fetch,
    URL,
    Promise,
    setTimeout,
    console: {
      warn: (...args: unknown[]) => warnings.push(args),
      error: (...args: unknown[]) => errors.push(args),
      info: () => {},
      log: () => {},
    },
  });
  context.window = context;
  vm.runInContext(source, context, { filename: new URL(scriptUrl).pathname });
  return { global: context as Record<string, unknown>, body, location, warnings, errors };
}
