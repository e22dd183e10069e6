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

describe('receipts typed on any keyboard', () => {
  const RECEIPT = '12345678901234567890';
  it('accepts digits from two keyboards in one number (a phone may switch half-way)', () => {
    expect(normaliseReceipt('1234 ۵۶۷۸ 9012 3456 7890')).toEqual({ ok: true, digits: RECEIPT });
    expect(normaliseReceipt('١٢٣٤ ۵۶۷۸ ٩٠١٢ ٣٤٥٦ ٧٨٩٠')).toEqual({ ok: true, digits: RECEIPT });
    expect(normaliseReceipt('১২৩৪ ၅၆၇၈ ٩٠١٢ 3456 ７８９０')).toEqual({ ok: true, digits: RECEIPT });
  });

  it('drops the invisible marks and odd spaces a copied number carries', () => {
    const marks = ['\u200e', '\u200f', '\u061c', '\u200d', '\u200c', '\u00a0', '\u202f', '\u2068', '\u2069', '\u202a', '\u202c', '\ufeff', '\u3000'];
    for (const mark of marks) {
      expect(normaliseReceipt(`1234${mark}5678${mark}9012 3456-7890`), JSON.stringify(mark)).toEqual({ ok: true, digits: RECEIPT });
    }
    expect(normaliseReceipt('\u200f١٢٣٤\u200f ٥٦٧٨ ٩٠١٢ ٣٤٥٦ ٧٨٩٠\u200f')).toEqual({ ok: true, digits: RECEIPT });
  });

  it('says what is wrong with anything else', () => {
    expect(normaliseReceipt('1234 5678 9O12 3456 7890')).toEqual({ ok: false, problem: 'not_digits' });
    expect(normaliseReceipt('1234 5678 9012 3456 789')).toEqual({ ok: false, problem: 'too_short' });
    expect(normaliseReceipt('1234 5678 9012 3456 78901')).toEqual({ ok: false, problem: 'too_long' });
    expect(normaliseReceipt(' \u200e ')).toEqual({ ok: false, problem: 'empty' });
    expect(normaliseReceipt('²³⁴')).toEqual({ ok: false, problem: 'too_short' }); // superscripts are digits after NFKC
    expect(normaliseReceipt('一二三四五六七八九〇一二三四五六七八九〇')).toEqual({ ok: false, problem: 'not_digits' }); // not decimal digits
  });
});
