// Case references (RDX-7K4M-2Q): short, random, Crockford base32, so they can be read out on the
// phone or typed from a letter, and say nothing about when or in which order a case arrived.

/** Crockford's alphabet: digits and capitals without I, L, O and U. */
export const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const REFERENCE_PATTERN = '^RDX-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}$';

/** A fresh reference: 6 random symbols, 30 bits (the server retries on the rare collision). */
export function newCaseReference(random: (count: number) => Uint8Array = (count) => globalThis.crypto.getRandomValues(new Uint8Array(count))): string {
  const bytes = random(6);
  const symbols = [...bytes].map((b) => CROCKFORD[b & 31]!).join('');
  return `RDX-${symbols.slice(0, 4)}-${symbols.slice(4)}`;
}

/**
 * What someone typed, as the stored form: case and spaces ignored, the prefix and hyphens optional,
 * and the letters Crockford reads as digits (O → 0, I and L → 1). Null if it cannot be a reference
 * or the start of one.
 */
export function normaliseReference(typed: string): string | null {
  let symbols = typed.toUpperCase().replace(/[\s-]/g, '');
  if (symbols.startsWith('RDX')) symbols = symbols.slice(3);
  symbols = symbols.replace(/O/g, '0').replace(/[IL]/g, '1');
  if (symbols.length === 0 || symbols.length > 6 || [...symbols].some((c) => !CROCKFORD.includes(c))) return null;
  return `RDX-${symbols.slice(0, 4)}${symbols.length > 4 ? `-${symbols.slice(4)}` : ''}`;
}
