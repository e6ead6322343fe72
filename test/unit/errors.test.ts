import { strict as assert } from 'node:assert';
import { describeError, maskSecrets, OktaApiError, OktaAuthError, oneLine } from '../../src/core/errors';

describe('errors as a person reads them', () => {
  it('masks credentials after their scheme, and the known secrets anywhere', () => {
    const token = '00AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_';
    assert.equal(maskSecrets(`Authorization: SSWS ${token}`), 'Authorization: SSWS ***');
    assert.equal(maskSecrets('Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIwMHUxIn0.sig-nature_1'), 'Bearer ***');
    assert.equal(maskSecrets('DPoP eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIwMHUxIn0.sig'), 'DPoP ***');
    assert.equal(maskSecrets('the key is hunter2-secret', ['hunter2-secret']), 'the key is ***');
  });

  it('keeps the words after "DPoP" in a sentence: they are not a credential', () => {
    const line = 'acme.okta.com refused the DPoP proof (HTTP 400): check the app\'s DPoP setting; it kept asking for a new DPoP nonce';
    assert.equal(describeError(new OktaAuthError(line, 400)), line);
  });

  it('makes untrusted text one plain line, capped', () => {
    assert.equal(oneLine('a\u001b[2Jb\r\nc\u202ed\u0007'), 'a [2Jb c d');
    assert.equal(oneLine('x'.repeat(400), 10), `${'x'.repeat(9)}…`);
  });

  it('says a bug is unexpected, and never more than one line', () => {
    assert.equal(describeError(new Error('boom\n    at stack (file.js:1:1)')), 'Unexpected error: boom at stack (file.js:1:1)');
    assert.equal(describeError(new OktaApiError('two\nlines')), 'two lines');
  });
});
