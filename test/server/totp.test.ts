// TOTP against RFC 6238 Appendix B (SHA-1, 8 digits there; 6 digits here are its last six).
import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, matchTotp, stepOf, totpAt } from '../../server/services/totp.ts';

const RFC_SECRET = base32Encode(Buffer.from('12345678901234567890'));

describe('totp', () => {
  it('matches the RFC 6238 test vectors', () => {
    const vectors: [number, string][] = [[59, '94287082'], [1111111109, '07081804'], [1111111111, '14050471'], [1234567890, '89005924'], [2000000000, '69279037']];
    for (const [time, code] of vectors) expect(totpAt(RFC_SECRET, Math.floor(time / 30), 8)).toBe(code);
  });

  it('accepts the current and adjacent steps only, and says which step matched', () => {
    const now = 1_800_000_000_000;
    const step = stepOf(now);
    expect(matchTotp(RFC_SECRET, totpAt(RFC_SECRET, step), now)).toBe(step);
    expect(matchTotp(RFC_SECRET, totpAt(RFC_SECRET, step - 1), now)).toBe(step - 1);
    expect(matchTotp(RFC_SECRET, totpAt(RFC_SECRET, step - 3), now)).toBeNull();
    expect(matchTotp(RFC_SECRET, 'abcdef', now)).toBeNull();
  });

  it('round-trips base32', () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255, 7, 9]);
    expect(base32Decode(base32Encode(bytes))).toEqual(bytes);
  });
});
