import { Annotations, DefaultStackSynthesizer, Fn, Stack, Validations } from 'aws-cdk-lib';
import { AnyPrincipal, Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { PortOneV2Settings } from './config';

/**
 * What `secretAdminArns` reserves: everything that changes the value the
 * functions get (PutSecretValue, UpdateSecret with a value, RotateSecret,
 * UpdateSecretVersionStage, which can make the placeholder current again),
 * deletes the secret, copies it elsewhere (ReplicateSecretToRegions) or
 * changes this policy.
 */
const SECRET_WRITE_ACTIONS = [
  'secretsmanager:PutSecretValue',
  'secretsmanager:UpdateSecret',
  'secretsmanager:UpdateSecretVersionStage',
  'secretsmanager:RotateSecret',
  'secretsmanager:DeleteSecret',
  'secretsmanager:ReplicateSecretToRegions',
  'secretsmanager:PutResourcePolicy',
  'secretsmanager:DeleteResourcePolicy',
];

/**
 * The PortOne REST API key pair, as `{"apiKey","apiSecret"}`. Created with a
 * placeholder; an administrator stores the real pair with put-secret-value.
 * Who reads it is decided twice: the roles of the functions that use it each
 * have GetSecretValue on this secret in IAM (ServiceFunction.useSecret), and
 * the secret's resource policy (`restrictTo`) denies GetSecretValue to every
 * other principal, so a broad IAM grant elsewhere in the account (an
 * administrator, `secretsmanager:*` on `*`) cannot read it either. Writes are
 * left to IAM, unless `secretAdminArns` names who alone may change it.
 * Encrypted with the account's AWS-managed key (aws/secretsmanager): a
 * customer-managed key would add a third gate (its key policy) for $1/month
 * plus a policy to maintain; the value is a revocable API key pair, not data
 * at rest worth that here.
 */
export class PortOneSecret extends Secret {
  constructor(
    scope: Construct,
    id: string,
    { stage, portoneV2 }: { readonly stage: string; readonly portoneV2: PortOneV2Settings | null },
  ) {
    // Never change generateSecretString: CloudFormation would generate a new
    // value and overwrite the key pair the merchant stored. V2's fields are
    // therefore not in the template: the merchant adds them with
    // put-secret-value, and the description says which.
    super(scope, id, {
      description:
        portoneV2 === null
          ? `PortOne V1 REST API key pair for portone-payments (${stage}): {"apiKey":"…","apiSecret":"…"}`
          : `PortOne V1 REST API key pair and V2 secrets for portone-payments (${stage}): {"apiKey":"…","apiSecret":"…","v2ApiSecret":"…","v2WebhookSecret":"whsec_…[,whsec_… while rotating]"}`,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ apiKey: 'REPLACE_ME' }),
        generateStringKey: 'apiSecret',
        excludePunctuation: true,
      },
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Automatic rotation is not possible: the PortOne REST API key pair is issued and rotated only in the PortOne admin console. Rotating it there and storing the new pair with put-secret-value is the documented procedure (README, Deploying to AWS).',
    });
  }

  /**
   * The secret's resource policy. GetSecretValue: denied to every principal
   * but the roles of `readers` (`aws:PrincipalArn` of a Lambda session is its
   * role's ARN). Not even an administrator reads it back; the functions'
   * answers show whether it works.
   *
   * With `admins` (`secretAdminArns`), changing it (value, settings, deletion,
   * this policy) is denied to everyone but those principals and
   * CloudFormation's CDK execution role (the bootstrap's
   * cdk-<qualifier>-cfn-exec-role, exactly, taken from the stack's
   * synthesizer): that role applies this very policy, updates the secret's
   * description and tags, deletes it with the stack, and is the way back in
   * after a wrong list, by deploying a corrected one. Without `admins` writes
   * are left to IAM, so `aws secretsmanager put-secret-value` by an
   * administrator works as documented.
   *
   * Plain references from the policy to the roles: the roles and their
   * policies refer to the secret, never to this policy, so no cycle.
   */
  restrictTo(readers: readonly IFunction[], admins: readonly string[]): void {
    const readerRoles = readers.map((fn) => {
      if (fn.role === undefined) throw new Error(`${fn.node.path} has no role`);
      return fn.role.roleArn;
    });
    this.addToResourcePolicy(
      new PolicyStatement({
        sid: 'OnlyTheFunctionsReadTheKeyPair',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['secretsmanager:GetSecretValue'],
        resources: ['*'],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': readerRoles } },
      }),
    );

    if (admins.length === 0) return;
    const { synthesizer } = Stack.of(this);
    const deployer =
      synthesizer instanceof DefaultStackSynthesizer
        ? // A template string with ${AWS::AccountId} and ${AWS::Region} in it.
          [Fn.sub(synthesizer.cloudFormationExecutionRoleArn)]
        : [];
    if (deployer.length === 0) {
      Annotations.of(this).addWarningV2(
        'portone-payments:secretAdminArns',
        'This stack does not use the DefaultStackSynthesizer, so no CloudFormation execution role is exempted from the secret write policy: the principal that deploys must be in secretAdminArns, or the next deploy cannot update the secret.',
      );
    }
    this.addToResourcePolicy(
      new PolicyStatement({
        sid: 'OnlyTheAdministratorsChangeTheKeyPair',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: SECRET_WRITE_ACTIONS,
        resources: ['*'],
        // ArnNotLike: an IAM Identity Center role's name ends in a random suffix, matched with `*`.
        conditions: { ArnNotLike: { 'aws:PrincipalArn': [...admins, ...deployer] } },
      }),
    );
  }
}
