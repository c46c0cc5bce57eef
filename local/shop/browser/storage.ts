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
