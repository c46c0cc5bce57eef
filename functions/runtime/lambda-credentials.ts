import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * Stands in for `@aws-sdk/credential-provider-node` in the deployed bundles
 * (lib/bundling.ts aliases it here). Lambda always hands the function its
 * role's credentials in the environment (AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), which is also the first place
 * the full chain looks; the rest of that chain (SSO, profiles, web identity,
 * instance metadata, with their STS and SSO clients) is about 130 KB that
 * every cold start would parse for nothing. Local runs and tests are not
 * bundled and keep the full chain.
 */
export const defaultProvider: typeof fromEnv = (init) => fromEnv(init);
