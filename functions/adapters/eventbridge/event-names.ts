/** What subscribers match in their EventBridge rules; shared with the stack (lib/), so no imports here. */
export const SETTLED_EVENT = { source: 'portone-payments', detailType: 'Payment settled' } as const;
