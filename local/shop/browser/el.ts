/** A property or attribute for `el`: null, undefined and false leave it out. */
export type Attr = string | number | boolean | null | undefined;

export interface Props {
  className?: string;
  textContent?: string;
  hidden?: boolean;
  disabled?: boolean;
  dataset?: Record<string, string>;
  /** Any other key is an attribute: true sets it empty, anything else its String(). */
  [attribute: string]: Attr | Record<string, string>;
}

export type Child = Node | string | number | null | undefined | false;

export type El = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props?: Props | null,
  ...children: Child[]
) => HTMLElementTagNameMap[K];

/** Properties `el` sets as such; every other key is an attribute. */
const PROPERTIES = new Set(['className', 'textContent', 'hidden', 'disabled']);

/**
 * Builds an element: el('li', {className: 'x', dataset: {a: '1'}}, 'text', child).
 * Text is never parsed as HTML.
 */
export const el: El = (tag, props, ...children) => {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'dataset') Object.assign(node.dataset, value);
    else if (PROPERTIES.has(key)) Object.assign(node, { [key]: value });
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
};
