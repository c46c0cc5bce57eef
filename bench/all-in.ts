import { type AllInCost, allInCost, type BilledMs } from './cost-all-in';
import { measurePaymentProfile, type PaymentProfile } from './payment-profile';
import type { BenchStack } from './stack';
import { figuresOf, synthesizedTemplate, type TemplateFigures } from './template-figures';

export interface AllInResults {
  template: TemplateFigures;
  profiles: PaymentProfile[];
  /** The headline (webhook first, the common order) and the other order. */
  webhookFirst: AllInCost;
  completeFirst: AllInCost;
}

/**
 * Whole payments through ours at the simulator's current latency, priced all
 * in. `modelled` is the CPU phase's duration model of a verifying event
 * (billed ms at the deployed memory, bench/lambda-model.ts): it prices the
 * webhook in both orders and complete when it comes first (when it comes
 * second it answers from the confirmed order, a different path, priced from
 * the profile).
 */
export const measureAllIn = async (
  stack: BenchStack,
  payments: number,
  modelled: { complete: number; webhook: number } | null = null,
): Promise<AllInResults> => {
  const template = figuresOf(synthesizedTemplate());
  const webhookFirst = await measurePaymentProfile(stack, payments, 'webhook first');
  const completeFirst = await measurePaymentProfile(stack, payments, 'complete first');
  return {
    template,
    profiles: [webhookFirst, completeFirst],
    webhookFirst: allInCost(
      webhookFirst,
      template,
      modelled ? ({ webhook: modelled.webhook } satisfies BilledMs) : {},
    ),
    completeFirst: allInCost(completeFirst, template, modelled ?? {}),
  };
};

if (require.main === module) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= '1';
  void (async () => {
    const { startBenchStack } = await import('./stack');
    const stack = await startBenchStack();
    try {
      await stack.simulator.setLatency(30);
      const r = await measureAllIn(stack, Number(process.env.ALL_IN_PAYMENTS ?? 30));
      console.log(JSON.stringify(r.profiles, null, 1));
      for (const cost of [r.webhookFirst, r.completeFirst]) {
        console.log(
          `\n${cost.order}: $${cost.allIn.toFixed(2)} per million (fixed $${cost.fixed.toFixed(2)})`,
        );
        for (const line of cost.lines)
          console.log(`  ${line.usd.toFixed(2).padStart(6)}  ${line.name}: ${line.quantity}`);
      }
    } finally {
      await stack.stop();
    }
  })();
}
