import type { SecretReader } from './secret';
import type { OutputsReader } from './target';

// The AWS SDK is loaded only when a stack or a secret is named: a check of an API URL needs none.

/** The stack's outputs; region, credentials and endpoint come from the SDK's usual chain. */
export const cloudFormationOutputs: OutputsReader = async (stackName) => {
  const { CloudFormationClient, DescribeStacksCommand } = await import(
    '@aws-sdk/client-cloudformation'
  );
  const client = new CloudFormationClient({});
  try {
    const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    const outputs: Record<string, string | undefined> = {};
    for (const output of Stacks?.[0]?.Outputs ?? []) {
      if (output.OutputKey) outputs[output.OutputKey] = output.OutputValue;
    }
    return outputs;
  } finally {
    client.destroy();
  }
};

/** The secret's string, read with the SDK's usual chain. */
export const secretsManagerReader: SecretReader = async (arn) => {
  const { GetSecretValueCommand, SecretsManagerClient } = await import(
    '@aws-sdk/client-secrets-manager'
  );
  const client = new SecretsManagerClient({});
  try {
    return (await client.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString;
  } finally {
    client.destroy();
  }
};
