import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../../lib/app';
import { acknowledgementsIn, findingsOf, REVIEWED_FINDINGS } from './support/nag';
import { EVERY_OPTION } from './support/template';

// cdk-nag's AwsSolutions checks, on the app exactly as bin/app.ts builds it
// (only here: the other infra tests build the stack without them, so that their assertions do not depend on cdk-nag).
const cdkContext = JSON.parse(readFileSync(join(__dirname, '../../../cdk.json'), 'utf8')).context;

// Each test builds and synthesizes a whole app: more than vitest's defaults on a busy machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

const CONFIGURATIONS: Record<string, Record<string, unknown>> = {
  'the defaults': {},
  'every option set': EVERY_OPTION,
};

const build = (context: Record<string, unknown>) => {
  const outdir = mkdtempSync(join(tmpdir(), 'payments-nag-'));
  outdirs.push(outdir);
  const { app, stack } = buildApp({
    outdir,
    context: {
      ...cdkContext,
      // Findings do not depend on the bundles; payments-stack.test.ts bundles for real.
      'aws:cdk:bundling-stacks': [],
      resultPageUrl: 'https://shop.example/payments/result',
      ...context,
    },
  });
  return { app, stack, outdir };
};

describe.each(Object.entries(CONFIGURATIONS))('cdk-nag AwsSolutions with %s', (_, context) => {
  it('synthesizes with zero unacknowledged findings', () => {
    const { app, outdir } = build(context);
    expect(() => app.synth()).not.toThrow();
    expect(findingsOf(outdir)).toEqual([]);
  });

  it('acknowledges exactly the reviewed findings, each with a concrete reason', () => {
    const { app, stack } = build(context);
    const acknowledged = acknowledgementsIn(app);
    // Relative to the construct: the acknowledgements travel with PortOnePayments into any stack.
    const relative = (path: string) => path.slice(stack.payments.node.path.length + 1);
    expect(acknowledged.map((a) => `${a.id} ${relative(a.path)}`).sort()).toEqual(
      [...REVIEWED_FINDINGS].sort(),
    );
    for (const { id, path, reason } of acknowledged) {
      const where = `${id} on ${path}`;
      expect(reason.length, where).toBeGreaterThanOrEqual(120);
      expect(reason, where).not.toMatch(/\b(TODO|FIXME|TBD|n\/a|not needed|false positive)\b/i);
    }
    // The six public routes (V1 and V2) each say why that route needs no authorizer.
    const routeReasons = acknowledged.filter((a) => a.id === 'AwsSolutions-APIG4');
    expect(new Set(routeReasons.map((a) => a.reason)).size).toBe(6);
    for (const a of routeReasons) {
      expect(a.reason).toMatch(/re-fetched from PortOne (by imp_uid|V2)/);
      // Each is bounded by its own route's budget (lib/api-edge.ts), not a shared stage limit.
      expect(a.reason).toMatch(/Its own per-route throttle \(the (webhook|browser) budget/);
      expect(a.reason).not.toMatch(/Stage throttling/);
    }
  });

  it('needs every acknowledgement: without them, exactly those findings fail synth', () => {
    // Record the acknowledgements instead of applying them.
    const skipped: { path: string; id: string }[] = [];
    vi.spyOn(Validations.prototype, 'acknowledge').mockImplementation(function (
      this: Validations,
      ...rules
    ) {
      const scope = (this as unknown as { scope: IConstruct }).scope;
      for (const rule of rules) skipped.push({ path: scope.node.path, id: rule.id });
    });
    const { app, stack, outdir } = build(context);
    expect(() => app.synth()).toThrow(/Acknowledge with 'AwsSolutions::/);

    const findings = findingsOf(outdir);
    // One finding per reviewed acknowledgement, each recorded where the review says.
    const relative = (path: string) => path.slice(stack.payments.node.path.length + 1);
    expect(skipped.map((ack) => `${ack.id} ${relative(ack.path)}`).sort()).toEqual(
      [...REVIEWED_FINDINGS].sort(),
    );
    expect(findings).toHaveLength(REVIEWED_FINDINGS.length);
    // Every finding is under a construct that acknowledges its rule…
    for (const finding of findings) {
      const covered = skipped.some(
        (ack) =>
          ack.id === finding.rule &&
          (finding.path === ack.path || finding.path.startsWith(`${ack.path}/`)),
      );
      expect(covered, `${finding.rule} at ${finding.path}`).toBe(true);
    }
    // …and every acknowledgement silences at least one finding.
    for (const ack of skipped) {
      const used = findings.some(
        (finding) =>
          ack.id === finding.rule &&
          (finding.path === ack.path || finding.path.startsWith(`${ack.path}/`)),
      );
      expect(used, `${ack.id} on ${ack.path}`).toBe(true);
    }
  });
});
