import type { Page } from 'playwright-core';
import type { RunningStack } from './local-stack';

/** The trusted order view, as the test reads it straight from the API. */
export interface OrderView {
  merchant_uid: string;
  status: string;
  final: boolean;
  amount: number;
  imp_uid: string | null;
  payment_id: string | null;
  attempts: {
    imp_uid: string | null;
    payment_id: string | null;
    verdict: string;
    cancellation: { state: string } | null;
  }[];
}

/** The order the result page shows (its ?merchant_uid=), read from the trusted API. */
export const orderOf = async (stack: RunningStack, page: Page): Promise<OrderView> => {
  const merchantUid = new URL(page.url()).searchParams.get('merchant_uid');
  const response = await fetch(`${stack.url}/orders/${merchantUid}`);
  return (await response.json()) as OrderView;
};

/** Waits until the result page shows this order status (and finality, when given). */
export const expectStatus = async (page: Page, status: string, final?: boolean) => {
  const selector = `[data-testid="order-status"][data-status="${status}"]${
    final === undefined ? '' : `[data-final="${final}"]`
  }`;
  await page.waitForSelector(selector, { timeout: 15_000 });
};

export const toResult = (page: Page) => page.waitForURL(/\/result\?/, { timeout: 15_000 });

/** The status word the browser was told (the result page's ?status=). */
export const toldStatus = (page: Page) => new URL(page.url()).searchParams.get('status');
