// Digits in every script people may type. Unicode guarantees that decimal digits (General
// Category Nd) come in contiguous runs of ten, 0 to 9, so a digit's value is its distance from the
// start of the contiguous Nd region it sits in, modulo ten: the platform's own Unicode data (\p{Nd}),
// no hand-made table, and every script Unicode knows (Arabic-Indic, Persian, Bengali, Burmese,
// Devanagari, full-width, …).
const DECIMAL = /\p{Nd}/u;
const ANY_DECIMAL = /\p{Nd}/gu;

const isDecimal = (codePoint: number) => DECIMAL.test(String.fromCodePoint(codePoint));

/** The value 0–9 of a decimal digit in any script, or null for anything else. */
export function decimalDigitValue(ch: string): number | null {
  const codePoint = ch.codePointAt(0);
  if (codePoint === undefined || !isDecimal(codePoint)) return null;
  let start = codePoint;
  while (start > 0 && isDecimal(start - 1)) start--;
  return (codePoint - start) % 10;
}

/** The first code point (the zero) of the run a decimal digit belongs to: which "keyboard" it came from. */
export function digitScript(ch: string): number | null {
  const value = decimalDigitValue(ch);
  return value === null ? null : ch.codePointAt(0)! - value;
}

/** Every decimal digit, in any script, rewritten as ASCII 0–9; everything else left alone. */
export function toAsciiDigits(text: string): string {
  return text.replace(ANY_DECIMAL, (ch) => String(decimalDigitValue(ch)));
}

/**
 * Invisible marks and spaces that creep into a copied or typed number: bidi marks (LRM, RLM, ALM),
 * isolates and embeddings, zero-width joiners, the BOM (all Cf), and every kind of space (Zs),
 * line breaks and dashes or dots people put between groups.
 */
export const NUMBER_NOISE = /[\p{Cf}\p{Zs}\s\-\u2010-\u2015\u2212.·・]/gu;
