import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../../lib/app';
import {
  cdkContext,
  EVERY_OPTION,
  RESULT_PAGE_URL,
  removeOutdirs,
  tempOutdir,
} from './support/template';

// cfn-lint (a Python tool, on the CI machine and the dev image; nothing installs
// it from here) on the templates `npm run synth` writes: one app with the
// defaults and one with every option, each synthesized once, linted in one run.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });
afterAll(removeOutdirs);

/**
 * Warnings accepted, each with the reason it cannot or should not be fixed.
 * Empty: cfn-lint reports none. The only ones it ever reported here were
 * W3005 ("dependency already enforced by a GetAtt") on every function, from
 * the DependsOn on its role that CDK's Function adds; lib/service-function.ts
 * drops that redundant half and keeps the one on the role's policy (see its
 * dropRedundantRoleDependency). Add a rule here only with its reason.
 */
const ALLOWED_WARNINGS: Readonly<Record<string, string>> = {};

const CONFIGURATIONS: Record<string, Record<string, unknown>> = {
  defaults: {},
  'every option': EVERY_OPTION,
};

interface Match {
  Filename: string;
  Level: 'Error' | 'Warning' | 'Informational';
  Message: string;
  Rule: { Id: string };
  Location: { Path: (string | number)[] };
}

const CFN_LINT_MISSING =
  'cfn-lint is not on PATH. It is a Python tool the CI machine provides (npm test needs it); install it with `pipx install cfn-lint` or `pip install cfn-lint`.';

const cfnLint = (args: string[]) => {
  const run = spawnSync('cfn-lint', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new Error(CFN_LINT_MISSING);
  }
  if (run.error) throw run.error;
  return run;
};

/** Synthesizes the app as bin/app.ts does (cdk-nag included), bundling skipped: templates only. */
const synthesize = (context: Record<string, unknown>): string => {
  const outdir = tempOutdir('payments-cfn-lint-');
  const { app } = buildApp({
    outdir,
    context: {
      ...cdkContext,
      'aws:cdk:bundling-stacks': [],
      resultPageUrl: RESULT_PAGE_URL,
      ...context,
    },
  });
  app.synth();
  const templates = readdirSync(outdir).filter((f) => f.endsWith('.template.json'));
  expect(templates, outdir).toHaveLength(1);
  return join(outdir, templates[0] as string);
};

interface Lint {
  version: string;
  matches: Match[];
}

// Run once, on first use, inside the tests rather than in beforeAll, so that a
// missing cfn-lint fails each test with its message (counted as failed tests).
let lint: Lint | undefined;
const linted = (): Lint => {
  if (lint) return lint;
  const probe = cfnLint(['--version']);
  const version = `${probe.stdout}${probe.stderr}`.trim();
  const templates = Object.values(CONFIGURATIONS).map(synthesize);
  const run = cfnLint(['--format', 'json', '--', ...templates]);
  let matches: Match[];
  try {
    matches = JSON.parse(run.stdout);
  } catch {
    throw new Error(`cfn-lint printed no JSON (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  }
  lint = { version, matches };
  return lint;
};

const describeMatch = (m: Match) =>
  `${m.Rule.Id} ${m.Location.Path.join('/')}: ${m.Message} (${m.Filename})`;

describe('cfn-lint on the synthesized templates', () => {
  it('runs cfn-lint', () => {
    expect(linted().version).toMatch(/^cfn-lint \d+\.\d+/);
  });

  it('reports no errors', () => {
    expect(
      linted()
        .matches.filter((m) => m.Level === 'Error')
        .map(describeMatch),
    ).toEqual([]);
  });

  it('reports only warnings the allow-list explains', () => {
    const unexplained = linted()
      .matches.filter((m) => m.Level === 'Warning' && !(m.Rule.Id in ALLOWED_WARNINGS))
      .map(describeMatch);
    expect(unexplained).toEqual([]);
    for (const [rule, reason] of Object.entries(ALLOWED_WARNINGS)) {
      expect(reason.length, rule).toBeGreaterThanOrEqual(80);
    }
  });
});
