// Web Storage that may be missing (private mode, storage disabled): a failed
// read is null and a failed write is dropped, so the pages work without it.

export const readStorage = (storage: () => Storage, key: string): string | null => {
  try {
    return storage().getItem(key);
  } catch {
    return null;
  }
};

export const writeStorage = (storage: () => Storage, key: string, value: string): void => {
  try {
    storage().setItem(key, value);
  } catch {
    // the value lasts for this page only
  }
};

export const local = (): Storage => window.localStorage;
export const session = (): Storage => window.sessionStorage;

/**
 * A page-wide choice (language, PortOne API) the shopper just made: stored,
 * and, when the address names it (`?lang=`, `?api=`), the address follows,
 * so that a reload or a shared link shows the same choice.
 */
export const rememberChoice = (
  storage: () => Storage,
  key: string,
  param: string,
  value: string,
): void => {
  writeStorage(storage, key, value);
  const url = new URL(window.location.href);
  if (url.searchParams.has(param)) {
    url.searchParams.set(param, value);
    window.history.replaceState(window.history.state, '', url);
  }
};
