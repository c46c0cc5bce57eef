/**
 * The headers of the page's POST to our complete route. `text/plain` keeps
 * it a CORS "simple request" (Fetch standard: a safelisted method, and only
 * safelisted headers and content types), so the browser sends no preflight:
 * one API Gateway request less per payment. The body is still JSON: complete
 * reads the body whatever the Content-Type says (docs/design.md §4.2).
 */
export const VERIFY_HEADERS = {
  'content-type': 'text/plain;charset=UTF-8',
  accept: 'application/json',
} as const;
