import { statSync } from 'node:fs';
import { ConfigError } from '../functions/runtime/config';

/**
 * What `npm start` reads beyond the functions' own configuration (README,
 * Configuration): checked before anything starts, so that a mistake is one
 * line naming the variable rather than a symptom further on (a NaN in a URL,
 * DynamoDB Local quitting with code 0).
 */
export interface LocalSettings {
  port: number;
  /** The java command; null: `java` from the PATH. */
  java: string | null;
  /** DynamoDB Local keeps its data in this folder; null: in memory. */
  dynamodbPath: string | null;
}

type Env = Record<string, string | undefined>;

export const loadLocalSettings = (env: Env): LocalSettings => ({
  port: port(env),
  java: read(env, 'JAVA') ?? null,
  dynamodbPath: folder(env, 'DYNAMODB_PATH'),
});

/** JAVA named a command that does not run; `reason` is the spawn error's code. */
export const javaError = (java: string, reason: string): ConfigError =>
  new ConfigError(
    `Environment variable JAVA must be a Java 17+ command, got "${java}" (${REASONS[reason] ?? reason}; unset it to use java from the PATH)`,
  );

/**
 * JAVA named a command that ran but quit before DynamoDB Local answered:
 * `code` is its exit code, `output` what it printed (its first line is kept,
 * e.g. an old Java's UnsupportedClassVersionError).
 */
export const javaExitedError = (java: string, code: number | null, output: string): ConfigError => {
  const said = output
    .split('\n')
    .find((line) => line.trim())
    ?.trim()
    .slice(0, 160);
  return new ConfigError(
    `Environment variable JAVA must be a Java 17+ command, got "${java}" (it exited with code ${code} without starting DynamoDB Local${said ? `, saying "${said}"` : ''}: is it Java 17 or later? Unset it to use java from the PATH)`,
  );
};

const REASONS: Record<string, string> = { ENOENT: 'no such file', EACCES: 'not executable' };

const read = (env: Env, name: string): string | undefined => env[name]?.trim() || undefined;

const port = (env: Env): number => {
  const value = read(env, 'PORT');
  if (value === undefined) return 3000;
  const parsed = Number(value);
  // 0 would mean "any free port", but the URLs are built from PORT before the server listens.
  if (!/^\d+$/.test(value) || parsed < 1 || parsed > 65_535) {
    throw new ConfigError(
      `Environment variable PORT must be a port number from 1 to 65535, got "${value}"`,
    );
  }
  return parsed;
};

const folder = (env: Env, name: string): string | null => {
  const value = read(env, name);
  if (value === undefined) return null;
  if (!statSync(value, { throwIfNoEntry: false })?.isDirectory()) {
    throw new ConfigError(
      `Environment variable ${name} must be an existing folder, got "${value}"`,
    );
  }
  return value;
};
