// Receipts: generation, digit normalisation across scripts, and key derivation.
import { describe, expect, it } from 'vitest';
import {
  RECEIPT_DIGITS, deriveReceiptKeys, formatReceipt, generateReceipt, hashAuthToken, normaliseReceipt, toAsciiDigits,
} from '../../protocol/receipt.ts';
import { toBase64Url } from '../../protocol/encoding.ts';

const SALT = toBase64Url(new Uint8Array(16).fill(7));

describe('receipt', () => {
  it('is 20 uniformly drawn digits (≥ 64 bits) shown in groups of four', async () => {
    const receipts = await Promise.all(Array.from({ length: 200 }, generateReceipt));
    expect(new Set(receipts).size).toBe(200);
    for (const r of receipts) expect(r).toMatch(/^\d{20}$/);
    expect(RECEIPT_DIGITS * Math.log2(10)).toBeGreaterThanOrEqual(64);
    // Every digit appears in the first position across 200 draws with overwhelming probability.
    expect(new Set(receipts.map((r) => r[0])).size).toBe(10);
    expect(formatReceipt('12345678901234567890')).toBe('1234 5678 9012 3456 7890');
  });

  it('accepts Eastern Arabic and Persian digits, spaces and dashes', () => {
    expect(toAsciiDigits('٠١٢٣٤٥٦٧٨٩')).toBe('0123456789');
    expect(toAsciiDigits('۰۱۲۳۴۵۶۷۸۹')).toBe('0123456789');
    const want = { ok: true, digits: '12345678901234567890' };
    expect(normaliseReceipt('1234 5678 9012 3456 7890')).toEqual(want);
    expect(normaliseReceipt('1234-5678-9012-3456-7890')).toEqual(want);
    expect(normaliseReceipt('۱۲۳۴ ۵۶۷۸ ۹۰۱۲ ۳۴۵۶ ۷۸۹۰')).toEqual(want);
    expect(normaliseReceipt('١٢٣٤–٥٦٧٨–٩٠١٢–٣٤٥٦–٧٨٩٠')).toEqual(want);
    expect(normaliseReceipt('１２３４ ５６７８ ９０１２ ３４５６ ７８９０')).toEqual(want); // full-width, via NFKC
  });

  it('names what is wrong with a malformed receipt', () => {
    expect(normaliseReceipt('')).toEqual({ ok: false, problem: 'empty' });
    expect(normaliseReceipt('1234 5678')).toEqual({ ok: false, problem: 'too_short' });
    expect(normaliseReceipt('1234 5678 9012 3456 7890 1')).toEqual({ ok: false, problem: 'too_long' });
    expect(normaliseReceipt('1234 ABCD 9012 3456 7890')).toEqual({ ok: false, problem: 'not_digits' });
  });

  it('derives the same keys from the same receipt, different keys otherwise', async () => {
    const a = await deriveReceiptKeys('12345678901234567890', SALT);
    const b = await deriveReceiptKeys('12345678901234567890', SALT);
    const c = await deriveReceiptKeys('12345678901234567891', SALT);
    const d = await deriveReceiptKeys('12345678901234567890', toBase64Url(new Uint8Array(16).fill(8)));
    expect(toBase64Url(a.authToken)).toBe(toBase64Url(b.authToken));
    expect(toBase64Url(a.publicKey)).toBe(toBase64Url(b.publicKey));
    expect(toBase64Url(a.authToken)).not.toBe(toBase64Url(c.authToken));
    expect(toBase64Url(a.authToken)).not.toBe(toBase64Url(d.authToken));
    expect(toBase64Url(a.authToken)).not.toBe(toBase64Url(a.publicKey));
    expect(await hashAuthToken(a.authToken)).not.toBe(toBase64Url(a.authToken));
    await expect(deriveReceiptKeys('1234', SALT)).rejects.toThrow();
  });
});

describe('receipt problems', () => {
  it('asks again when one number mixes digits of two keyboards', () => {
    expect(normaliseReceipt('1234 ۵۶۷۸ 9012 3456 7890')).toEqual({ ok: false, problem: 'mixed_scripts' });
    expect(normaliseReceipt('١٢٣٤ ۵۶۷۸ ٩٠١٢ ٣٤٥٦ ٧٨٩٠')).toEqual({ ok: false, problem: 'mixed_scripts' });
  });
});
