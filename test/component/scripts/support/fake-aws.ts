import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Just enough CloudFormation (DescribeStacks, AWS query protocol) and Secrets
 * Manager (GetSecretValue, JSON 1.1) for check-deployment and the local
 * stack's functions, on 127.0.0.1: point the SDK at it with AWS_ENDPOINT_URL
 * (or AWS_ENDPOINT_URL_SECRETS_MANAGER). Neither service has a local
 * emulator, and nothing may leave the machine.
 */
export interface FakeAws {
  url: string;
  /** Stack name to outputs. */
  stacks: Map<string, Record<string, string>>;
  /** Secret ARN to its SecretString. */
  secrets: Map<string, string>;
  /** Access key ids refused GetSecretValue, as the stack's secret policy refuses everyone but the functions. */
  deniedReaders: Set<string>;
  /** The access key id of every GetSecretValue, in order. */
  secretReads: string[];
  close(): Promise<void>;
}

export const startFakeAws = async (): Promise<FakeAws> => {
  const stacks = new Map<string, Record<string, string>>();
  const secrets = new Map<string, string>();
  const deniedReaders = new Set<string>();
  const secretReads: string[] = [];
  const server: Server = createServer(async (request, response) => {
    const body = await readAll(request);
    const target = request.headers['x-amz-target'];
    if (target === 'secretsmanager.GetSecretValue') {
      const { SecretId } = JSON.parse(body) as { SecretId: string };
      const reader = accessKeyOf(request);
      secretReads.push(reader);
      const error = (status: number, type: string, message: string) => {
        response.writeHead(status, {
          'content-type': 'application/x-amz-json-1.1',
          'x-amzn-errortype': type,
        });
        response.end(JSON.stringify({ __type: type, Message: message }));
      };
      if (deniedReaders.has(reader)) {
        return error(
          400,
          'AccessDeniedException',
          `User: arn:aws:iam::000000000000:user/${reader} is not authorized to perform: secretsmanager:GetSecretValue on resource: ${SecretId} with an explicit deny in a resource-based policy`,
        );
      }
      const value = secrets.get(SecretId);
      if (value === undefined) {
        return error(
          400,
          'ResourceNotFoundException',
          "Secrets Manager can't find the specified secret.",
        );
      }
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(
        JSON.stringify({
          ARN: SecretId,
          Name: SecretId.split(':').at(-1),
          SecretString: value,
          VersionId: '00000000-0000-0000-0000-000000000001',
          VersionStages: ['AWSCURRENT'],
          CreatedDate: 1_764_633_600,
        }),
      );
      return;
    }
    const form = new URLSearchParams(body);
    if (form.get('Action') === 'DescribeStacks') {
      const name = form.get('StackName') ?? '';
      const outputs = stacks.get(name);
      response.writeHead(outputs ? 200 : 400, { 'content-type': 'text/xml' });
      response.end(outputs ? describeStacksXml(name, outputs) : stackMissingXml(name));
      return;
    }
    response.writeHead(400, { 'content-type': 'text/plain' });
    response.end(`fake AWS: unexpected request ${target ?? form.get('Action') ?? body}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stacks,
    secrets,
    deniedReaders,
    secretReads,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

const readAll = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

/** `Authorization: AWS4-HMAC-SHA256 Credential=<key id>/<date>/<region>/<service>/aws4_request, …`. */
const accessKeyOf = (request: IncomingMessage): string =>
  /Credential=([^/]+)\//.exec(request.headers.authorization ?? '')?.[1] ?? '';

const xml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const describeStacksXml = (name: string, outputs: Record<string, string>) => `<?xml version="1.0"?>
<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
  <DescribeStacksResult>
    <Stacks>
      <member>
        <StackId>arn:aws:cloudformation:local:000000000000:stack/${xml(name)}/00000000-0000-0000-0000-000000000000</StackId>
        <StackName>${xml(name)}</StackName>
        <CreationTime>2026-12-01T00:00:00.000Z</CreationTime>
        <StackStatus>CREATE_COMPLETE</StackStatus>
        <Outputs>
${Object.entries(outputs)
  .map(
    ([key, value]) =>
      `          <member><OutputKey>${xml(key)}</OutputKey><OutputValue>${xml(value)}</OutputValue></member>`,
  )
  .join('\n')}
        </Outputs>
      </member>
    </Stacks>
  </DescribeStacksResult>
  <ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000002</RequestId></ResponseMetadata>
</DescribeStacksResponse>`;

const stackMissingXml = (name: string) => `<?xml version="1.0"?>
<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
  <Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id ${xml(name)} does not exist</Message></Error>
  <RequestId>00000000-0000-0000-0000-000000000003</RequestId>
</ErrorResponse>`;
