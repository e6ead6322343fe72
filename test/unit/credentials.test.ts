import * as assert from 'node:assert/strict';
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { maskSecrets } from '../../src/core/errors';
import { describeKeyProblem, keyForm, keyIdFor, normalizePastedKey, privateKeyProblem, RSA_ONLY_REASON, secretValues, validatePrivateKey } from '../../src/core/credentials';

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

describe('a key pasted into a one-line input box', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = (key: KeyObject, type: 'pkcs1' | 'pkcs8' | 'spki' | 'sec1') => key.export({ type, format: 'pem' }).toString().trim();
  const pkcs8 = pem(rsa.privateKey, 'pkcs8');
  const pkcs1 = pem(rsa.privateKey, 'pkcs1');
  const rsaJwk = rsa.privateKey.export({ format: 'jwk' });
  /** What a one-line box makes of a PEM: its line breaks become `joiner` (a space, or nothing at all). */
  const pasted = (text: string, joiner = ' ') => text.split('\n').join(joiner);
  /** What the input box checks: the pasted text as it will be stored. */
  const problemOfPasted = (text: string) => privateKeyProblem(normalizePastedKey(text));

  it('gives a PKCS#8 PEM whose line breaks became spaces back its lines, so it parses', () => {
    assert.match(pkcs8, /^-----BEGIN PRIVATE KEY-----\n/);
    const key = normalizePastedKey(pasted(pkcs8));
    assert.equal(key, pkcs8, 'the PEM as node:crypto wrote it (64 characters a line)');
    assert.equal(createPrivateKey(key).asymmetricKeyType, 'rsa');
    assert.equal(problemOfPasted(pasted(pkcs8)), undefined);
  });

  it('gives back its lines to a PEM whose line breaks were lost altogether, or arrived as CRLF with blanks around', () => {
    assert.equal(normalizePastedKey(pasted(pkcs8, '')), pkcs8);
    assert.equal(normalizePastedKey(`\r\n  ${pasted(pkcs8, '\r\n')}\r\n\t`), pkcs8);
    assert.equal(createPrivateKey(normalizePastedKey(pasted(pkcs8, ''))).asymmetricKeyType, 'rsa');
  });

  it('does the same for a PKCS#1 -----BEGIN RSA PRIVATE KEY----- block', () => {
    assert.match(pkcs1, /^-----BEGIN RSA PRIVATE KEY-----\n/);
    assert.equal(normalizePastedKey(pasted(pkcs1)), pkcs1);
    assert.equal(normalizePastedKey(pasted(pkcs1, '')), pkcs1);
    assert.equal(problemOfPasted(pasted(pkcs1)), undefined);
  });

  it('leaves a PEM pasted with its line breaks, and a key already normalised, as they are', () => {
    assert.equal(normalizePastedKey(`${pkcs8}\n`), pkcs8);
    const once = normalizePastedKey(pasted(pkcs1));
    assert.equal(normalizePastedKey(once), once);
  });

  it('finds an EC key pasted on one line not RSA, as a SEC1 or a PKCS#8 block', () => {
    const sec1 = pem(ec.privateKey, 'sec1');
    const ecPkcs8 = pem(ec.privateKey, 'pkcs8');
    assert.equal(normalizePastedKey(pasted(sec1)), sec1);
    assert.deepEqual(problemOfPasted(pasted(sec1)), { kind: 'notRsa', keyType: 'EC' });
    // A PKCS#8 block names no key type: only a key that parses tells it is EC.
    assert.deepEqual(problemOfPasted(pasted(ecPkcs8)), { kind: 'notRsa', keyType: 'EC' });
    assert.deepEqual(problemOfPasted(pasted(ecPkcs8, '')), { kind: 'notRsa', keyType: 'EC' });
  });

  it('finds a public key or a certificate-shaped block pasted on one line a public key', () => {
    for (const key of [pem(rsa.publicKey, 'spki'), pem(rsa.publicKey, 'pkcs1')]) {
      assert.equal(normalizePastedKey(pasted(key)), key);
      assert.deepEqual(problemOfPasted(pasted(key)), { kind: 'public' }, key.slice(0, 32));
    }
  });

  it('does not rewrap text whose BEGIN and END lines name different blocks', () => {
    // A certificate and a key pasted together: joining them into one body would hide what it was.
    const both = `-----BEGIN CERTIFICATE----- MIIB -----END CERTIFICATE----- ${pasted(pkcs8)}`;
    assert.equal(normalizePastedKey(both), both);
    assert.deepEqual(problemOfPasted(both), { kind: 'public' });
  });

  it('passes a JWK through trimmed, with "d" usable and without "d" a public key', () => {
    const withD = JSON.stringify(rsaJwk, null, 2);
    assert.equal(normalizePastedKey(`  ${withD}\n`), withD);
    assert.equal(problemOfPasted(`  ${withD}\n`), undefined);
    const { d, p, q, dp, dq, qi, ...publicOnly } = rsaJwk;
    assert.ok(d && p && q && dp && dq && qi);
    assert.deepEqual(problemOfPasted(JSON.stringify(publicOnly)), { kind: 'public' });
  });

  it('reports invalid JSON, an empty box and a box of blanks', () => {
    assert.deepEqual(problemOfPasted('{"kty":"RSA","d":'), { kind: 'invalidJson' });
    assert.equal(normalizePastedKey(''), '');
    assert.equal(normalizePastedKey(' \t\r\n '), '');
    assert.deepEqual(problemOfPasted(''), { kind: 'empty' });
    assert.deepEqual(problemOfPasted(' \t\r\n '), { kind: 'empty' });
  });

  it('words every kind of problem a pasted key can have as one line of the core', () => {
    const cases: [string, string][] = [
      ['', 'The private key is empty: give the service app key as PEM or JWK'],
      ['{"kty":', 'The private key is neither a PEM nor a JWK private key: check the key text or file'],
      ['-----BEGIN PRIVATE KEY----- AAAA -----END PRIVATE KEY-----', 'The private key is neither a PEM nor a JWK private key: check the key text or file'],
      [pasted(pem(rsa.publicKey, 'spki')), 'The key is a public key: give the service app\'s private key (PEM or JWK with "d")'],
      [pasted(pem(ec.privateKey, 'sec1')), `The private key is EC: give the service app an RSA key (${RSA_ONLY_REASON})`],
      ['{"kty":"oct","k":"c2VjcmV0"}', `The private key is oct: give the service app an RSA key (${RSA_ONLY_REASON})`],
    ];
    for (const [text, message] of cases) {
      const problem = problemOfPasted(text);
      assert.ok(problem, `a problem for ${text.slice(0, 30)}`);
      assert.equal(describeKeyProblem(problem), message);
      assert.throws(() => validatePrivateKey(normalizePastedKey(text)), { name: 'InvalidInputError', message });
    }
  });
});

describe('the form of a key text', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pkcs8 = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const pkcs1 = rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

  it('finds a JWK by its JSON, whatever the JSON holds', () => {
    assert.deepEqual(keyForm(JSON.stringify(rsa.privateKey.export({ format: 'jwk' }))), { kind: 'jwk' });
    assert.deepEqual(keyForm('  {"kty":'), { kind: 'jwk' });
  });

  it('names the label of a PEM block that holds a private key, RSA, EC, encrypted or PKCS#8', () => {
    assert.deepEqual(keyForm(pkcs8), { kind: 'pem', label: 'PRIVATE KEY', privateKey: true });
    assert.deepEqual(keyForm(`\n${pkcs1}`), { kind: 'pem', label: 'RSA PRIVATE KEY', privateKey: true });
    assert.deepEqual(keyForm('-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE'), { kind: 'pem', label: 'EC PRIVATE KEY', privateKey: true });
    assert.deepEqual(keyForm('-----BEGIN ENCRYPTED PRIVATE KEY-----\nabc'), { kind: 'pem', label: 'ENCRYPTED PRIVATE KEY', privateKey: true });
  });

  it('tells a damaged private key, which still names one, from a block that holds none', () => {
    const cut = pkcs8.split('\n').slice(0, 5).join('\n');
    assert.deepEqual(keyForm(cut), { kind: 'pem', label: 'PRIVATE KEY', privateKey: true });
    assert.deepEqual(privateKeyProblem(cut), { kind: 'unreadable' }, 'the same problem as any unreadable key: the form tells them apart');
    assert.deepEqual(keyForm('-----BEGIN CERTIFICATE-----\nabc'), { kind: 'pem', label: 'CERTIFICATE', privateKey: false });
    assert.deepEqual(keyForm(rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString()), { kind: 'pem', label: 'PUBLIC KEY', privateKey: false });
  });

  it('reads a BEGIN line it cannot make out as a PEM block without a label, and anything else as neither', () => {
    assert.deepEqual(keyForm('-----BEGIN something'), { kind: 'pem', label: '', privateKey: false });
    assert.deepEqual(keyForm('/keys/okta.pem'), { kind: 'neither' });
    assert.deepEqual(keyForm('MIIEvQIBADANBgkq'), { kind: 'neither' });
    assert.deepEqual(keyForm(''), { kind: 'neither' });
  });
});
