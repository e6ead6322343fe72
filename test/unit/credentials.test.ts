import * as assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { maskSecrets } from '../../src/core/errors';
import { describeKeyProblem, keyIdFor, privateKeyProblem, RSA_ONLY_REASON, secretValues, validatePrivateKey } from '../../src/core/credentials';

describe('credential checks', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const rsaPem = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const rsaJwk = { ...rsa.privateKey.export({ format: 'jwk' }), kid: 'key-1' };
  const ecSec1 = ec.privateKey.export({ type: 'sec1', format: 'pem' }).toString();
  const ecPkcs8 = ec.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const ecJwk = JSON.stringify({ ...ec.privateKey.export({ format: 'jwk' }), kid: 'ec-1' });
  const notRsa = `The private key is EC: give the service app an RSA key (${RSA_ONLY_REASON})`;

  it('accepts an RSA private key as PKCS8 PEM, PKCS1 PEM or JWK', () => {
    assert.equal(privateKeyProblem(rsaPem), undefined);
    assert.equal(privateKeyProblem(rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()), undefined);
    assert.equal(privateKeyProblem(JSON.stringify(rsaJwk)), undefined);
  });

  it('refuses an EC key in a -----BEGIN EC PRIVATE KEY----- block, naming RS256 as the reason', () => {
    assert.match(ecSec1, /^-----BEGIN EC PRIVATE KEY-----/);
    assert.deepEqual(privateKeyProblem(ecSec1), { kind: 'notRsa', keyType: 'EC' });
    assert.throws(() => validatePrivateKey(ecSec1), { name: 'InvalidInputError', message: notRsa });
  });

  it('gives a reason for RSA only that survives secret masking, as every message shown is masked', () => {
    assert.equal(maskSecrets(describeKeyProblem({ kind: 'notRsa', keyType: 'EC' })), describeKeyProblem({ kind: 'notRsa', keyType: 'EC' }));
  });

  it('refuses an EC block by its header even when its body does not parse', () => {
    assert.deepEqual(privateKeyProblem('-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----'), { kind: 'notRsa', keyType: 'EC' });
  });

  it('refuses an EC key in a PKCS8 -----BEGIN PRIVATE KEY----- block', () => {
    assert.match(ecPkcs8, /^-----BEGIN PRIVATE KEY-----/);
    assert.deepEqual(privateKeyProblem(ecPkcs8), { kind: 'notRsa', keyType: 'EC' });
    assert.throws(() => validatePrivateKey(ecPkcs8), { name: 'InvalidInputError', message: notRsa });
  });

  it('refuses an EC JWK, giving its kty', () => {
    assert.deepEqual(privateKeyProblem(ecJwk), { kind: 'notRsa', keyType: 'EC' });
    assert.throws(() => validatePrivateKey(ecJwk), { message: notRsa });
  });

  it('refuses a public key as PEM or as a JWK without "d"', () => {
    const publicJwk = JSON.stringify(rsa.publicKey.export({ format: 'jwk' }));
    for (const key of [rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString(), rsa.publicKey.export({ type: 'pkcs1', format: 'pem' }).toString(), publicJwk]) {
      assert.deepEqual(privateKeyProblem(key), { kind: 'public' }, key.slice(0, 30));
    }
    assert.throws(() => validatePrivateKey(publicJwk), { message: 'The key is a public key: give the service app\'s private key (PEM or JWK with "d")' });
  });

  it('refuses garbage, a cut-off PEM, broken JSON and an empty key, each with a one-line reason', () => {
    const cut = rsaPem.split('\n').slice(0, 5).join('\n');
    assert.deepEqual(privateKeyProblem('not a key'), { kind: 'unreadable' });
    assert.deepEqual(privateKeyProblem(cut), { kind: 'unreadable' });
    assert.deepEqual(privateKeyProblem('{"kty":'), { kind: 'invalidJson' });
    assert.deepEqual(privateKeyProblem('{"kty":"RSA","n":"x","e":"AQAB","d":"y"}'), { kind: 'unreadable' });
    assert.deepEqual(privateKeyProblem('  '), { kind: 'empty' });
    assert.throws(() => validatePrivateKey('not a key'), { message: 'The private key is neither a PEM nor a JWK private key: check the key text or file' });
    assert.equal(describeKeyProblem({ kind: 'empty' }), 'The private key is empty: give the service app key as PEM or JWK');
  });

  it('needs a key id for a PEM, and takes it from a JWK\'s kid when none is given', () => {
    assert.equal(keyIdFor(rsaPem), undefined);
    assert.equal(keyIdFor(rsaPem, '  '), undefined);
    assert.equal(keyIdFor(rsaPem, ' kid-9 '), 'kid-9');
    assert.equal(keyIdFor(JSON.stringify(rsaJwk)), 'key-1');
    assert.equal(keyIdFor(JSON.stringify(rsaJwk), 'other'), 'other');
    assert.equal(keyIdFor(JSON.stringify({ ...rsaJwk, kid: '' })), undefined);
  });

  it('lists an SSWS token as its secret', () => {
    assert.deepEqual(secretValues({ mode: 'SSWS', token: '00abcdefghijklmnop' }), ['00abcdefghijklmnop']);
  });

  it('lists a JWK and each of its private members as secrets, and none of its public ones', () => {
    const privateKey = JSON.stringify(rsaJwk);
    const secrets = secretValues({ mode: 'PrivateKey', clientId: '0oa1', privateKey });
    assert.deepEqual(secrets, [privateKey, rsaJwk.d, rsaJwk.p, rsaJwk.q, rsaJwk.dp, rsaJwk.dq, rsaJwk.qi]);
    assert.ok(!secrets.includes(rsaJwk.n as string) && !secrets.includes('key-1'));
  });

  it('lists a PEM and each long base64 line of its body as secrets, not its BEGIN and END lines', () => {
    const secrets = secretValues({ mode: 'PrivateKey', clientId: '0oa1', privateKey: `${rsaPem}\n`, keyId: 'kid-9' });
    const body = rsaPem.trim().split('\n').slice(1, -1);
    assert.deepEqual(secrets, [`${rsaPem}\n`, rsaPem.trim(), ...body.filter((l) => l.length >= 16)]);
    assert.ok(body.length > 20);
    assert.ok(!secrets.includes('-----BEGIN PRIVATE KEY-----') && !secrets.includes('-----END PRIVATE KEY-----'));
  });
});
