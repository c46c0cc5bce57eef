/**
 * US East (N. Virginia) list prices, the same as README's Cost section,
 * without the free tier. Per-payment quantities come from the measurement.
 */
export const PRICES = {
  region: 'us-east-1',
  lambdaArm64PerGbSecond: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  httpApiPerMillionRequests: 1.0,
  dynamoDbPerMillionWriteUnits: 0.625,
  dynamoDbPerMillionReadUnits: 0.125,
} as const;

/** memorySize of every function in lib/service-function.ts (the baseline would get the same). */
export const MEMORY_MB = 256;

export const COST_ASSUMPTIONS = [
  'One payment = the PC card flow: POST /payments/complete (the iframe callback) + POST /payments/webhook;',
  '  order registration and the CORS preflight are left out of both (the baseline has no registration).',
  'Priced in both orders of arrival. complete first: complete reads the order, calls PortOne and writes,',
  '  then the webhook calls PortOne and writes. Webhook first (the common order in production): the webhook',
  '  calls PortOne and writes, then complete answers from the confirmed order with one read (no call, no write).',
  '  The baseline does the same work in either order (2 calls, 1 read, 1 write each).',
  'Each route is one HTTP API request and one Lambda invocation (arm64, 256 MB).',
  'Lambda duration = time inside the handler at 30 ms PortOne latency, each invocation rounded up to 1 ms.',
  'DynamoDB on-demand units = ConsumedCapacity reported per request (index writes included).',
  'Logs, storage, secrets, alarms and the reconciler are left out (README "Cost" has them).',
];

export interface PaymentProfile {
  /** Billed milliseconds of each invocation one payment causes. */
  billedMs: number[];
  writeUnits: number;
  readUnits: number;
}

/** Dollars per million payments, by line. */
export interface Cost {
  httpApi: number;
  lambdaRequests: number;
  lambdaDuration: number;
  dynamoDbWrites: number;
  dynamoDbReads: number;
  total: number;
}

export const costPerMillion = (profile: PaymentProfile): Cost => {
  const invocations = profile.billedMs.length;
  const gbSeconds = (profile.billedMs.reduce((sum, ms) => sum + ms, 0) / 1000) * (MEMORY_MB / 1024);
  const lines = {
    httpApi: invocations * PRICES.httpApiPerMillionRequests,
    lambdaRequests: invocations * PRICES.lambdaPerMillionRequests,
    lambdaDuration: gbSeconds * PRICES.lambdaArm64PerGbSecond * 1e6,
    dynamoDbWrites: profile.writeUnits * PRICES.dynamoDbPerMillionWriteUnits,
    dynamoDbReads: profile.readUnits * PRICES.dynamoDbPerMillionReadUnits,
  };
  return { ...lines, total: Object.values(lines).reduce((sum, value) => sum + value, 0) };
};
