// Digits in every script Unicode knows: the value of each decimal digit (Nd) comes from the
// platform's Unicode data, checked here against every numbering system the platform's Intl can
// format, and against Unicode's promise that decimal digits come in runs of ten.
import { describe, expect, it } from 'vitest';
import { decimalDigitValue, toAsciiDigits } from '../../protocol/digits.ts';

const everyDecimalDigit = () => {
  const found: number[] = [];
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    if (/\p{Nd}/u.test(String.fromCodePoint(cp))) found.push(cp);
  }
  return found;
};

describe('decimal digits', () => {
  it('reads every numbering system the platform formats with decimal digits', () => {
    let checked = 0;
    for (const system of Intl.supportedValuesOf('numberingSystem')) {
      const format = new Intl.NumberFormat(`en-u-nu-${system}`, { useGrouping: false });
      if (format.resolvedOptions().numberingSystem !== system) continue;
      const digits = Array.from({ length: 10 }, (_, d) => format.format(d));
      if (!digits.every((d) => [...d].length === 1 && /\p{Nd}/u.test(d))) continue; // algorithmic (roman, hanidec…)
      expect(toAsciiDigits(digits.join('')), system).toBe('0123456789');
      checked++;
    }
    // arab, arabext, beng, mymr, deva, fullwide, thai, tibt… are all there.
    expect(checked).toBeGreaterThan(40);
  });

  it('gives each run of ten the values 0 to 9, for every decimal digit Unicode has', () => {
    const all = everyDecimalDigit();
    expect(all.length % 10).toBe(0);
    expect(all.length).toBeGreaterThan(600);
    for (const cp of all) {
      const value = decimalDigitValue(String.fromCodePoint(cp))!;
      const zero = cp - value;
      for (let d = 0; d < 10; d++) expect(decimalDigitValue(String.fromCodePoint(zero + d))).toBe(d);
    }
  });

  it('leaves everything that is not a decimal digit alone', () => {
    expect(toAsciiDigits('a-b ٫ ² ½ 一 Ⅻ')).toBe('a-b ٫ ² ½ 一 Ⅻ');
    expect(decimalDigitValue('x')).toBeNull();
    expect(toAsciiDigits('Tel. ٠٧٩ ۱۲۳ ৪৫৬ ၇၈၉ １２')).toBe('Tel. 079 123 456 789 12');
  });
});
