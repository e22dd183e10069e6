// Case references: the format (RDX- and six Crockford base32 symbols), drawn at random, and what
// someone may type when searching (any case, spaces, no prefix, O for 0, I or L for 1).
import { describe, expect, it } from 'vitest';
import { CROCKFORD, REFERENCE_PATTERN, newCaseReference, normaliseReference } from '../../protocol/case-reference.ts';

describe('case references', () => {
  it('are RDX- and six Crockford symbols, from every symbol of the alphabet', () => {
    const drawn = Array.from({ length: 2000 }, () => newCaseReference());
    for (const r of drawn) expect(r).toMatch(new RegExp(REFERENCE_PATTERN));
    expect(new Set(drawn.join('').replace(/RDX|-/g, ''))).toEqual(new Set(CROCKFORD));
    expect(new Set(drawn).size).toBeGreaterThan(1990);
  });

  it('map random bytes to symbols without bias (32 divides 256)', () => {
    expect(newCaseReference((n) => new Uint8Array(n).fill(0))).toBe('RDX-0000-00');
    expect(newCaseReference(() => Uint8Array.from([31, 32, 63, 255, 7, 40]))).toBe('RDX-Z0ZZ-78');
  });

  it('are found from what a person types', () => {
    expect(normaliseReference('rdx-7k4m-2q')).toBe('RDX-7K4M-2Q');
    expect(normaliseReference(' 7K4M 2Q ')).toBe('RDX-7K4M-2Q');
    expect(normaliseReference('RDX7K4M')).toBe('RDX-7K4M');
    expect(normaliseReference('ioL')).toBe('RDX-101');
    expect(normaliseReference('RDX-7K4M-2Q9')).toBeNull(); // too long
    expect(normaliseReference('U')).toBeNull(); // not in the alphabet
    expect(normaliseReference('%')).toBeNull();
    expect(normaliseReference('')).toBeNull();
  });
});
