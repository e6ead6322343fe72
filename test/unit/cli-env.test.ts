import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { credentialsFromEnv, retryFromEnv } from '../../src/cli/env';
import { rejection } from './cli-rejection';

describe('okta-mau credentials from the environment', () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'key-1' };
  const noFiles = (path: string): string => {
    throw new Error(`ENOENT ${path}`);
  };

  it('uses OKTA_API_TOKEN as an SSWS token, with or without the SSWS prefix, and lists it as a secret', () => {
    assert.deepEqual(credentialsFromEnv({ OKTA_API_TOKEN: ' 00tok ' }).auth, { mode: 'SSWS', token: '00tok' });
    const { auth, secrets } = credentialsFromEnv({ OKTA_API_TOKEN: 'SSWS 00tok' });
    assert.deepEqual(auth, { mode: 'SSWS', token: '00tok' });
    assert.ok(secrets.includes('00tok'));
  });

  it('reads a PEM key inline with OKTA_KEY_ID and optional scopes', () => {
    const { auth, secrets } = credentialsFromEnv({
      OKTA_CLIENT_ID: '0oa1', OKTA_PRIVATE_KEY: pem, OKTA_KEY_ID: 'kid-9', OKTA_SCOPES: 'okta.logs.read okta.users.read',
    });
    assert.deepEqual(auth, { mode: 'PrivateKey', clientId: '0oa1', privateKey: pem.trim(), keyId: 'kid-9', scopes: ['okta.logs.read', 'okta.users.read'] });
    assert.ok(secrets.includes(pem.trim()));
    assert.ok(secrets.some((s) => pem.includes(s) && s.length >= 16 && !s.startsWith('-----')), 'PEM body lines are secrets');
  });

  it('reads a key from a file path and takes the key ID from the JWK kid', () => {
    const files: Record<string, string> = { '/keys/okta.json': JSON.stringify(jwk) };
    const { auth, secrets } = credentialsFromEnv({ OKTA_CLIENT_ID: '0oa1', OKTA_PRIVATE_KEY: '/keys/okta.json' }, (p) => files[p]);
    assert.equal(auth.mode, 'PrivateKey');
    assert.equal(auth.mode === 'PrivateKey' && auth.keyId, 'key-1');
    assert.equal(auth.mode === 'PrivateKey' && auth.privateKey, JSON.stringify(jwk));
    assert.ok(secrets.includes(jwk.d as string));
  });

  const badEnv: Array<[string, Record<string, string>, RegExp]> = [
    ['no credentials at all', {}, /^no credentials: set OKTA_API_TOKEN, or OKTA_CLIENT_ID \+ OKTA_PRIVATE_KEY/],
    ['both kinds of credential', { OKTA_API_TOKEN: 't0k3n', OKTA_CLIENT_ID: '0oa1' }, /both OKTA_API_TOKEN and OKTA_CLIENT_ID are set/],
    ['a client ID without a key', { OKTA_CLIENT_ID: '0oa1' }, /OKTA_PRIVATE_KEY is not: set it/],
    ['a key without a client ID', { OKTA_PRIVATE_KEY: 'x' }, /OKTA_CLIENT_ID is not/],
    ['a PEM without a key ID', { OKTA_CLIENT_ID: '0oa1', OKTA_PRIVATE_KEY: 'PEM' }, /OKTA_KEY_ID is required with a PEM key/],
    ['an unreadable key path', { OKTA_CLIENT_ID: '0oa1', OKTA_PRIVATE_KEY: 'MIIEvQIBADANBgkq' }, /^OKTA_PRIVATE_KEY must hold a PEM key, a JWK, or the path/],
    ['a broken JWK', { OKTA_CLIENT_ID: '0oa1', OKTA_PRIVATE_KEY: '{"kty":' }, /not valid JSON/],
    ['a public JWK', { OKTA_CLIENT_ID: '0oa1', OKTA_PRIVATE_KEY: '{"kty":"RSA","n":"x","e":"AQAB","kid":"k"}' }, /is a public JWK/],
    ['an EC JWK', { OKTA_CLIENT_ID: '0oa1', OKTA_PRIVATE_KEY: '{"kty":"EC","crv":"P-256","x":"a","y":"b","d":"c","kid":"k"}' }, /must be an RSA private key \(JWK "kty" is "EC"\)/],
    ['an EC PEM', { OKTA_CLIENT_ID: '0oa1', OKTA_KEY_ID: 'k', OKTA_PRIVATE_KEY: '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----' }, /is an EC key: use an RSA private key/],
    ['a certificate', { OKTA_CLIENT_ID: '0oa1', OKTA_PRIVATE_KEY: '-----BEGIN CERTIFICATE-----\nabc', OKTA_KEY_ID: 'k' }, /must be a PEM private key/],
    ['a bad retry count', { OKTA_API_TOKEN: 't', OKTA_MAU_MAX_RETRIES: 'lots' }, /^OKTA_MAU_MAX_RETRIES must be a whole number from 0 to 20 \(got "lots"\)$/],
  ];
  for (const [what, env, expected] of badEnv) {
    it(`refuses ${what} with exit code 2`, () => {
      const keyed = { ...env, ...(env.OKTA_PRIVATE_KEY === 'PEM' ? { OKTA_PRIVATE_KEY: pem } : {}) };
      const message = rejection(() => {
        credentialsFromEnv(keyed, noFiles);
        retryFromEnv(keyed);
      });
      assert.match(message, expected);
      assert.doesNotMatch(message, /MIIEvQIBADANBgkq|t0k3n/);
    });
  }

  it('reads the retry knobs', () => {
    assert.equal(retryFromEnv({}), undefined);
    assert.deepEqual(retryFromEnv({ OKTA_MAU_MAX_RETRIES: '0', OKTA_MAU_RETRY_BASE_MS: '5' }), { maxRetries: 0, baseDelayMs: 5 });
  });
});
