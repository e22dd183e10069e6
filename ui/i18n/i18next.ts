// i18next instances for the server's page rendering and for the desk: one per language, built
// from resources handed in (initialised synchronously).
import i18next, { type i18n, type Resource } from 'i18next';
import type { Namespaces } from './index.ts';

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
