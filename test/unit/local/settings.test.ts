import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { javaError, javaExitedError, loadLocalSettings } from '../../../local/settings';

describe('loadLocalSettings', () => {
  it('defaults to port 3000, java from the PATH and data in memory', () => {
    expect(loadLocalSettings({})).toEqual({ port: 3000, java: null, dynamodbPath: null });
  });

  it('reads PORT, JAVA and an existing DYNAMODB_PATH', () => {
    const env = { PORT: ' 8080 ', JAVA: '/opt/jdk/bin/java', DYNAMODB_PATH: tmpdir() };
    expect(loadLocalSettings(env)).toEqual({
      port: 8080,
      java: '/opt/jdk/bin/java',
      dynamodbPath: tmpdir(),
    });
  });

  it.each(['abc', '0', '65536', '3000.5', '-1', '1e3'])('names PORT when it is "%s"', (port) => {
    expect(() => loadLocalSettings({ PORT: port })).toThrow(
      `Environment variable PORT must be a port number from 1 to 65535, got "${port}"`,
    );
  });

  it('names DYNAMODB_PATH when it is a file, not a folder', () => {
    expect(() => loadLocalSettings({ DYNAMODB_PATH: __filename })).toThrow(
      `Environment variable DYNAMODB_PATH must be an existing folder, got "${__filename}"`,
    );
  });
});

describe('javaError', () => {
  it('says why JAVA does not run', () => {
    expect(javaError('/etc/hosts', 'EACCES').message).toBe(
      'Environment variable JAVA must be a Java 17+ command, got "/etc/hosts" (not executable; unset it to use java from the PATH)',
    );
  });
});

describe('javaExitedError', () => {
  it('quotes the first line an old Java printed, in one line', () => {
    const output =
      '\nError: LinkageError occurred while loading main class com.amazonaws.services.dynamodbv2.local.main.ServerRunner\n\tjava.lang.UnsupportedClassVersionError: …\n';
    const message = javaExitedError('/usr/lib/jvm/java-11/bin/java', 1, output).message;
    expect(message).toBe(
      'Environment variable JAVA must be a Java 17+ command, got "/usr/lib/jvm/java-11/bin/java" (it exited with code 1 without starting DynamoDB Local, saying "Error: LinkageError occurred while loading main class com.amazonaws.services.dynamodbv2.local.main.ServerRunner": is it Java 17 or later? Unset it to use java from the PATH)',
    );
    expect(message).not.toContain('\n');
  });

  it('says nothing was printed by leaving the quote out', () => {
    expect(javaExitedError('/bin/true', 0, '').message).not.toContain('saying');
  });
});
