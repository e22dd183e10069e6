// Language helpers shared by the browser apps and the server: namespaces, picking a supported
// language, and names of months and countries from the platform's Intl (no data shipped).
import { LANGUAGES, LANGUAGE_CODES, isLanguageCode, languageDir } from '../../protocol/taxonomy.ts';

export type Namespaces = Record<string, Record<string, unknown>>;

/** What components call to get a text: `key` or `ns:key`, with {{name}} placeholders. */
export type Translate = (key: string, vars?: Record<string, unknown>) => string;
export const NAMESPACES = ['report', 'taxonomy', 'errors'] as const;


export { LANGUAGES, LANGUAGE_CODES, languageDir };

/** The first supported language in an Accept-Language-style list, or undefined. */
export function pickSupported(preferences: readonly string[]): string | undefined {
  for (const pref of preferences) {
    const base = pref.trim().toLowerCase().split(/[-_;]/)[0] ?? '';
    // Dari (prs) is served by the Persian locale, labelled "فارسی / دری".
    const code = base === 'prs' ? 'fa' : base;
    if (isLanguageCode(code)) return code;
  }
  return undefined;
}

/** Gregorian month names and localized digits for the chosen language, from the platform. */
export function monthName(lang: string, month: number): string {
  return new Intl.DateTimeFormat(`${lang}-u-ca-gregory`, { month: 'long', timeZone: 'UTC' })
    .format(new Date(Date.UTC(2000, month - 1, 15)));
}

/**
 * ASCII digits rewritten in the language's own digits (its `digits` numbering system in
 * protocol/taxonomy.ts, formatted by the platform's Intl), or null where 0–9 are the norm.
 */
export function localDigits(lang: string, text: string): string | null {
  const numbering = LANGUAGES.find((l) => l.code === lang)?.digits;
  if (!numbering) return null;
  // The numbering system alone decides the digits; "en" is a locale every browser ships (some lack ckb or ps).
  const format = new Intl.NumberFormat(`en-u-nu-${numbering}`, { useGrouping: false });
  return text.replace(/[0-9]/g, (d) => format.format(Number(d)));
}

/** Country name in the chosen language from Intl.DisplayNames, falling back to English, then the code. */
export function countryNames(lang: string): (code: string) => string {
  let local: Intl.DisplayNames | undefined;
  let english: Intl.DisplayNames | undefined;
  try { local = new Intl.DisplayNames([lang], { type: 'region', fallback: 'none' }); } catch { /* old browser */ }
  try { english = new Intl.DisplayNames(['en'], { type: 'region' }); } catch { /* old browser */ }
  return (code) => local?.of(code) ?? english?.of(code) ?? code;
}
