import { describe, expect, it } from 'vitest';
import { credentialsSource } from '../../../../scripts/deploy/credentials';

const HOME = { HOME: '/home/merchant' };
const noFiles = () => false;
const notEc2 = () => null;

describe('credentialsSource', () => {
  it('answers null when nothing is configured', () => {
    expect(credentialsSource(HOME, noFiles, notEc2)).toBeNull();
  });

  it.each([
    [{ AWS_ACCESS_KEY_ID: 'AKIA…', AWS_SECRET_ACCESS_KEY: 's' }, 'environment'],
    [{ AWS_WEB_IDENTITY_TOKEN_FILE: '/t', AWS_ROLE_ARN: 'arn:aws:iam::1:role/r' }, 'web identity'],
    [{ AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/x' }, 'container'],
    [{ AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1/c' }, 'container'],
  ])('finds credentials in %o', (env, source) => {
    expect(credentialsSource({ ...HOME, ...env }, noFiles, notEc2)).toBe(source);
  });

  it('needs both halves of a key pair', () => {
    expect(credentialsSource({ ...HOME, AWS_ACCESS_KEY_ID: 'AKIA…' }, noFiles, notEc2)).toBeNull();
  });

  it.each([
    ['/home/merchant/.aws/credentials', {}],
    ['/home/merchant/.aws/config', {}],
    ['/elsewhere/credentials', { AWS_SHARED_CREDENTIALS_FILE: '/elsewhere/credentials' }],
    ['/elsewhere/config', { AWS_CONFIG_FILE: '/elsewhere/config' }],
  ])('finds the shared file %s', (file, env) => {
    const exists = (path: string) => path === file;
    expect(credentialsSource({ ...HOME, ...env }, exists, notEc2)).toBe('shared config files');
  });

  it('leaves an EC2 instance to CDK, unless instance metadata is off', () => {
    const ec2 = (path: string) => (path.endsWith('sys_vendor') ? 'Amazon EC2\n' : null);
    expect(credentialsSource(HOME, noFiles, ec2)).toBe('EC2 instance role, if any');
    expect(
      credentialsSource({ ...HOME, AWS_EC2_METADATA_DISABLED: 'true' }, noFiles, ec2),
    ).toBeNull();
  });
});
