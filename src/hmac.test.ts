// Signing with the site secret: what one secret signs, only that secret and that message verify.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { hmacSign, hmacVerify, sameText } from './hmac.js';

const SECRET = 'a-site-secret-of-some-length';

describe('signing with the site secret', () => {
  it('is HMAC-SHA256, in base64url unless base64 is asked for', () => {
    const mac = createHmac('sha256', SECRET).update('hello').digest();
    assert.equal(hmacSign(SECRET, 'hello'), mac.toString('base64url'));
    assert.equal(hmacSign(SECRET, 'hello', 'base64'), mac.toString('base64'));
    assert.match(hmacSign(SECRET, 'hello'), /^[\w-]{43}$/);
  });

  it('verifies what it signed, with the same secret, message and encoding only', () => {
    const sig = hmacSign(SECRET, 'post:1|2026');
    assert.equal(hmacVerify(SECRET, 'post:1|2026', sig), true);
    assert.equal(hmacVerify('another-secret', 'post:1|2026', sig), false);
    assert.equal(hmacVerify(SECRET, 'post:1|2027', sig), false);
    assert.equal(hmacVerify(SECRET, 'post:1|2026', sig, 'base64'), sig === hmacSign(SECRET, 'post:1|2026', 'base64'));
    const b64 = hmacSign(SECRET, 'x', 'base64');
    assert.equal(hmacVerify(SECRET, 'x', b64, 'base64'), true);
  });

  it('refuses a changed, shortened, lengthened or empty signature', () => {
    const sig = hmacSign(SECRET, 'm');
    const flipped = `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`;
    for (const bad of [flipped, sig.slice(1), `${sig}A`, '', sig.toUpperCase() === sig ? `${sig}x` : sig.toUpperCase()]) {
      assert.equal(hmacVerify(SECRET, 'm', bad), false, bad);
    }
  });

  it('compares text exactly, of any length', () => {
    assert.equal(sameText('abc', 'abc'), true);
    assert.equal(sameText('abc', 'abd'), false);
    assert.equal(sameText('abc', 'abcd'), false);
    assert.equal(sameText('', ''), true);
    assert.equal(sameText('é', 'e'), false);
  });
});
