/**
 * The simulator's default credentials and paths, in a module that loads
 * nothing else: a process that only drives the simulator (the bench's
 * measured one) can read them without loading the simulator's HTTP client
 * (undici), which would become the dispatcher behind that process's fetch.
 */

/** The public demo credentials of PortOne's docs (reference §1.2). */
export const DEFAULT_API_KEY = 'imp_apikey';
export const DEFAULT_API_SECRET =
  'ekKoeW8RyKuT0zgaZsUtXXTLQ4AhPFW3ZGseDA6bkA5lamv9OqDMnxyeB9wqOsuO9W3Mx9YSJ4dTqJ3f';

/** The V2 API secret the simulator accepts unless told otherwise (not a real one). */
export const DEFAULT_V2_API_SECRET = 'portone-sim-v2-api-secret-0000000000000000000000000000';
/** The test secret of PortOne's server SDK (reference §3.4 test vector). */
export const DEFAULT_V2_WEBHOOK_SECRET = 'whsec_pzQGE83cSIRKM4/WH5QY+g==';
/** The store id of the reference's examples. */
export const DEFAULT_V2_STORE_ID = 'store-ae356798-3d20-4969-b739-14c6b0e1a667';
export const DEFAULT_V2_MERCHANT_ID = 'merchant-4f1c2b8e-sim0-4d7a-9d6e-000000000001';

/** Where the simulator serves PortOne V2's REST API. */
export const V2_PREFIX = '/v2-api';
