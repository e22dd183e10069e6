// The desk's language bundles by code (from the page's boot data), for views that print in a
// language other than the desk's own, such as a referral pack in the body's language.
import type { TFunction } from 'i18next';
import type { Namespaces } from '../../ui/i18n/index.ts';
import { createI18n } from '../../ui/i18n/i18next.ts';

let localeUrls: Record<string, string> = {};

export function setDeskLocaleUrls(urls: Record<string, string>): void {
  localeUrls = urls;
}

export const hasDeskLanguage = (code: string) => code in localeUrls;

export async function deskTranslator(code: string): Promise<TFunction> {
  const resources = (await (await fetch(localeUrls[code]!)).json()) as Namespaces;
  return createI18n(code, resources).t;
}
