/** The page's element with this id; the page scripts only look up elements their page renders. */
export const byId = <E extends HTMLElement = HTMLElement>(id: string): E => {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page has no #${id}`);
  return node as E;
};

/** The page's first element that matches. */
export const find = <E extends Element = HTMLElement>(selector: string): E => {
  const node = document.querySelector<E>(selector);
  if (!node) throw new Error(`the page has no ${selector}`);
  return node;
};
