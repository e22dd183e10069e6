// Encodings: strict base64url and canonical JSON, which the associated data depends on.
import { describe, expect, it } from 'vitest';
import { canonicalJson, fromBase64Url, toBase64Url } from '../../protocol/encoding.ts';

describe('encoding', () => {
  it('round-trips base64url and refuses anything non-canonical', () => {
    const bytes = new Uint8Array([0, 1, 250, 251, 252, 253, 254, 255]);
    expect(toBase64Url(bytes)).toBe('AAH6-_z9_v8');
    expect(fromBase64Url('AAH6-_z9_v8')).toEqual(bytes);
    expect(fromBase64Url('AAH6+/z9/v8')).toBeNull();
    expect(fromBase64Url('AAH6-_z9_v8=')).toBeNull();
    expect(fromBase64Url('AAH6-_z9_v9')).toBeNull(); // stray low bits
    expect(fromBase64Url('A')).toBeNull();
  });

  it('prints canonical JSON with sorted keys and no numbers', () => {
    expect(canonicalJson({ b: true, a: 'x', c: null, d: { z: 'é', y: ['1'] } })).toBe('{"a":"x","b":true,"c":null,"d":{"y":["1"],"z":"é"}}');
    expect(() => canonicalJson({ n: 1 } as never)).toThrow();
  });
});
