/**
 * Whether a browser sends a CORS preflight before a cross-origin request
 * (Fetch standard, "CORS-safelisted" method, request headers and
 * Content-Type), so the cost model counts the preflight from the request the
 * shop's page actually makes rather than assuming one.
 */
const SAFELISTED_METHODS = new Set(['GET', 'HEAD', 'POST']);
const SAFELISTED_TYPES = new Set([
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
]);
const SAFELISTED_HEADERS = new Set([
  'accept',
  'accept-language',
  'content-language',
  'content-type',
]);
// What the standard calls "CORS-unsafe request-header bytes": control
// characters but tab, and these punctuation marks.
const UNSAFE_PUNCTUATION = new Set('"():<>?@[\\]{}');
const hasUnsafeByte = (value: string) =>
  [...value].some((c) => {
    const code = c.charCodeAt(0);
    return (code < 0x20 && code !== 0x09) || code === 0x7f || UNSAFE_PUNCTUATION.has(c);
  });

export const sendsPreflight = (
  method: string,
  headers: Readonly<Record<string, string>>,
): boolean => {
  if (!SAFELISTED_METHODS.has(method.toUpperCase())) return true;
  return Object.entries(headers).some(([name, value]) => {
    const key = name.toLowerCase();
    if (!SAFELISTED_HEADERS.has(key) || value.length > 128) return true;
    if (key === 'accept') return hasUnsafeByte(value);
    if (key === 'content-type') {
      if (hasUnsafeByte(value)) return true;
      return !SAFELISTED_TYPES.has(value.split(';')[0]?.trim().toLowerCase() ?? '');
    }
    return !/^[0-9A-Za-z *,\-.;=]*$/.test(value);
  });
};
