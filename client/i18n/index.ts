// i18next setup shared by the browser apps and the server's HTML rendering: one instance per
// language, resources handed in (the page inlines the chosen locale; no extra round trip on 2G).
import i18next, { type i18n, type Resource } from 'i18next';
import { LANGUAGES, LANGUAGE_CODES, languageDir } from '../../protocol/taxonomy.ts';

export type Namespaces = Record<string, Record<string, unknown>>;
export const NAMESPACES = ['report', 'taxonomy', 'errors'] as const;

export function createI18n(lang: string, resources: Namespaces): i18n {
  const instance = i18next.createInstance();
  void instance.init({
    lng: lang,
    fallbackLng: false,
    ns: Object.keys(resources),
    defaultNS: 'report',
    resources: { [lang]: resources } as Resource,
    interpolation: { escapeValue: false }, // Preact escapes text; nothing here builds HTML by hand.
    initAsync: false,
    returnNull: false,
  });
  return instance;
}

export { LANGUAGES, LANGUAGE_CODES, languageDir };

/** The first supported language in an Accept-Language-style list, or undefined. */
export function pickSupported(preferences: readonly string[]): string | undefined {
  for (const pref of preferences) {
    const base = pref.trim().toLowerCase().split(/[-_;]/)[0] ?? '';
    // Dari (prs) is served by the Persian locale, labelled "فارسی / دری".
    const code = base === 'prs' ? 'fa' : base;
    if (LANGUAGE_CODES.includes(code)) return code;
  }
  return undefined;
}

/** Gregorian month names and localized digits for the chosen language, from the platform. */
export function monthName(lang: string, month: number): string {
  return new Intl.DateTimeFormat(`${lang}-u-ca-gregory`, { month: 'long', timeZone: 'UTC' })
    .format(new Date(Date.UTC(2000, month - 1, 15)));
}

/** Native digit systems of languages whose readers may not read 0–9 first. */
const NATIVE_DIGITS: Record<string, string> = { ar: '\u0660', fa: '\u06f0', ps: '\u06f0' };

/** ASCII digits rewritten in the language's native digits, or null where 0–9 are the norm. */
export function localDigits(lang: string, text: string): string | null {
  const zero = NATIVE_DIGITS[lang];
  if (!zero) return null;
  return text.replace(/[0-9]/g, (d) => String.fromCharCode(zero.charCodeAt(0) + Number(d)));
}

/** Country name in the chosen language from Intl.DisplayNames, falling back to English, then the code. */
export function countryNames(lang: string): (code: string) => string {
  let local: Intl.DisplayNames | undefined;
  let english: Intl.DisplayNames | undefined;
  try { local = new Intl.DisplayNames([lang], { type: 'region', fallback: 'none' }); } catch { /* old browser */ }
  try { english = new Intl.DisplayNames(['en'], { type: 'region' }); } catch { /* old browser */ }
  return (code) => local?.of(code) ?? english?.of(code) ?? code;
}
