import type { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  actionsOf,
  asArray,
  type Json,
  onlyId,
  RESULT_PAGE_URL,
  removeOutdirs,
  resources,
  statementsOf,
  synth,
} from './support/template';

// Who may read and change the PortOne key pair, as the secret's resource policy says.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });
afterAll(removeOutdirs);

const ACCOUNT = '123456789012';
const REGION = 'ap-northeast-2';
const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
/** The bootstrap's CloudFormation execution role with the default qualifier. */
const CDK_DEPLOY_ROLE = roleArn(`cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-${REGION}`);
const ADMIN = roleArn('PaymentsAdmin');
const SSO_ADMINS = roleArn('aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_*');

/** A template value as deployed into ACCOUNT/REGION; a role's ARN is `role/<logical id>`. */
const deployed = (value: Json): string => {
  if (typeof value === 'string') return value;
  if (value['Fn::GetAtt']?.[1] === 'Arn') return roleArn(value['Fn::GetAtt'][0]);
  if (typeof value['Fn::Sub'] === 'string') {
    const pseudo: Record<string, string> = { Partition: 'aws', AccountId: ACCOUNT, Region: REGION };
    return (value['Fn::Sub'] as string).replace(/\$\{AWS::(\w+)\}/g, (_, name: string) => {
      const known = pseudo[name];
      if (known === undefined) throw new Error(`unexpected AWS::${name} in the secret policy`);
      return known;
    });
  }
  throw new Error(`unexpected value in the secret policy: ${JSON.stringify(value)}`);
};

/** IAM's ArnLike: `*` matches any run of characters, everything else itself. */
const like = (pattern: string, arn: string) => {
  const literal = (part: string) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return new RegExp(`^${pattern.split('*').map(literal).join('.*')}$`).test(arn);
};

/**
 * What the resource policy says about `principalArn` calling `action`: denied,
 * or left to IAM. Supports exactly what the policy may use (Deny to everyone
 * with an ArnNotEquals or ArnNotLike on aws:PrincipalArn); anything else fails.
 */
const verdict = (statements: Json[], action: string, principalArn: string) => {
  for (const statement of statements) {
    expect(statement.Effect, 'the policy only ever denies').toBe('Deny');
    expect(statement.Principal).toEqual({ AWS: '*' });
    if (!actionsOf(statement).includes(action)) continue;
    const [[operator, keys]] = Object.entries(statement.Condition as Record<string, Json>) as [
      [string, Json],
    ];
    expect(Object.keys(keys)).toEqual(['aws:PrincipalArn']);
    const listed = asArray(keys['aws:PrincipalArn']).map(deployed);
    const exempt =
      operator === 'ArnNotEquals'
        ? listed.includes(principalArn)
        : operator === 'ArnNotLike'
          ? listed.some((pattern) => like(pattern, principalArn))
          : expect.fail(`unexpected condition operator ${operator}`);
    if (!exempt) return 'denied';
  }
  return 'left to IAM';
};

const policyOf = (template: Template): Json => {
  const [policy] = Object.values(resources(template, 'AWS::SecretsManager::ResourcePolicy'));
  expect(policy.Properties.SecretId).toEqual({
    Ref: onlyId(template, 'AWS::SecretsManager::Secret'),
  });
  return policy.Properties.ResourcePolicy;
};

/** The roles of the Lambda functions whose IAM policy lets them read the secret. */
const readingRoles = (template: Template): string[] => {
  const secret = { Ref: onlyId(template, 'AWS::SecretsManager::Secret') };
  return Object.values(resources(template, 'AWS::Lambda::Function'))
    .map((fn) => fn.Properties.Role['Fn::GetAtt'][0] as string)
    .filter((role) =>
      statementsOf(template, role).some(
        (s) =>
          s.Effect === 'Allow' &&
          actionsOf(s).includes('secretsmanager:GetSecretValue') &&
          JSON.stringify(asArray(s.Resource)) === JSON.stringify([secret]),
      ),
    );
};

/** Every resource a resource refers to: Ref, Fn::GetAtt, ${…} in Fn::Sub, and DependsOn. */
const referencesOf = (resource: Json, ids: Set<string>): Set<string> => {
  const found = new Set<string>(asArray(resource.DependsOn ?? []));
  const walk = (value: Json): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'Ref' && ids.has(inner as string)) found.add(inner as string);
        else if (key === 'Fn::GetAtt') found.add((inner as string[])[0] as string);
        else if (key === 'Fn::Sub' && typeof inner === 'string') {
          for (const [, name] of inner.matchAll(/\$\{([A-Za-z0-9]+)[.}]/g)) {
            if (ids.has(name as string)) found.add(name as string);
          }
        } else walk(inner);
      }
    }
  };
  walk(resource.Properties);
  return found;
};

const hasCycle = (template: Template): boolean => {
  const all: Record<string, Json> = template.toJSON().Resources;
  const ids = new Set(Object.keys(all));
  const state = new Map<string, 'open' | 'done'>();
  const visit = (id: string): boolean => {
    if (state.get(id) === 'done') return false;
    if (state.get(id) === 'open') return true;
    state.set(id, 'open');
    for (const next of referencesOf(all[id], ids)) if (visit(next)) return true;
    state.set(id, 'done');
    return false;
  };
  return [...ids].some(visit);
};

describe('the PortOne secret by default', () => {
  let template: Template;
  let statements: Json[];

  beforeAll(() => {
    template = synth().template;
    statements = policyOf(template).Statement;
  });

  it('denies GetSecretValue to every principal except exactly the roles of the functions that read it', () => {
    const readers = readingRoles(template);
    // complete, redirect, webhook, orders, reconcile; not the settled function.
    expect(readers).toHaveLength(5);
    expect(readers.some((role) => role.startsWith('SettledFunction'))).toBe(false);

    const [statement] = statements.filter((s) =>
      actionsOf(s).includes('secretsmanager:GetSecretValue'),
    );
    expect(statement).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' }, Resource: '*' });
    expect(statement.Condition.ArnNotEquals['aws:PrincipalArn'].map(deployed).sort()).toEqual(
      readers.map(roleArn).sort(),
    );

    for (const role of readers) {
      expect(verdict(statements, 'secretsmanager:GetSecretValue', roleArn(role)), role).toBe(
        'left to IAM',
      );
    }
    const settledRole = onlyRoleOf(template, 'SettledFunction');
    for (const other of [
      roleArn(settledRole),
      ADMIN,
      CDK_DEPLOY_ROLE,
      `arn:aws:iam::${ACCOUNT}:root`,
    ]) {
      expect(verdict(statements, 'secretsmanager:GetSecretValue', other), other).toBe('denied');
    }
  });

  it("leaves changing the secret to IAM, so an administrator's put-secret-value works", () => {
    expect(statements).toHaveLength(1);
    for (const action of [
      'secretsmanager:PutSecretValue',
      'secretsmanager:UpdateSecret',
      'secretsmanager:DeleteSecret',
      'secretsmanager:PutResourcePolicy',
    ]) {
      expect(verdict(statements, action, ADMIN), action).toBe('left to IAM');
    }
  });

  it('synthesizes the policy without a dependency cycle', () => {
    expect(hasCycle(template)).toBe(false);
  });
});

describe('the PortOne secret with secretAdminArns', () => {
  let template: Template;
  let statements: Json[];

  beforeAll(() => {
    template = synth({
      resultPageUrl: RESULT_PAGE_URL,
      secretAdminArns: `${ADMIN}, ${SSO_ADMINS}`,
    }).template;
    statements = policyOf(template).Statement;
  });

  const WRITES = [
    'secretsmanager:PutSecretValue',
    'secretsmanager:UpdateSecret',
    'secretsmanager:DeleteSecret',
    'secretsmanager:PutResourcePolicy',
    'secretsmanager:DeleteResourcePolicy',
    'secretsmanager:UpdateSecretVersionStage',
    'secretsmanager:RotateSecret',
  ];

  it('lets those principals and the CDK deploy role change it, and nobody else', () => {
    const sso = roleArn(
      'aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_0123abcd',
    );
    for (const action of WRITES) {
      for (const allowed of [ADMIN, sso, CDK_DEPLOY_ROLE]) {
        expect(verdict(statements, action, allowed), `${action} by ${allowed}`).toBe('left to IAM');
      }
      for (const other of [
        roleArn('PaymentsAdminOld'),
        roleArn(onlyRoleOf(template, 'WebhookFunction')),
        roleArn(`cdk-other-cfn-exec-role-${ACCOUNT}-${REGION}`),
        `arn:aws:iam::${ACCOUNT}:root`,
      ]) {
        expect(verdict(statements, action, other), `${action} by ${other}`).toBe('denied');
      }
    }
  });

  it('still lets only the functions read it, not the administrators', () => {
    for (const who of [ADMIN, CDK_DEPLOY_ROLE]) {
      expect(verdict(statements, 'secretsmanager:GetSecretValue', who), who).toBe('denied');
    }
    for (const role of readingRoles(template)) {
      expect(verdict(statements, 'secretsmanager:GetSecretValue', roleArn(role)), role).toBe(
        'left to IAM',
      );
    }
  });

  it('synthesizes the policy without a dependency cycle', () => {
    expect(hasCycle(template)).toBe(false);
  });
});

const onlyRoleOf = (template: Template, functionPrefix: string): string => {
  const matches = Object.entries(resources(template, 'AWS::Lambda::Function')).filter(([id]) =>
    id.startsWith(functionPrefix),
  );
  expect(matches).toHaveLength(1);
  return (matches[0] as [string, Json])[1].Properties.Role['Fn::GetAtt'][0];
};
