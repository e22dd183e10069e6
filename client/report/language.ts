// Switching the public pages' language in place: fetch the locale, flip lang/dir, remember the
// choice (cookie), and put ?lang= in the address so a shared link opens in the same language.
import { languageDir } from '../../protocol/taxonomy.ts';
import type { Namespaces, Translate } from '../../ui/i18n/index.ts';
import { createTranslate } from '../../ui/i18n/translate.ts';

export async function switchLanguage(code: string, localeUrls: Record<string, string>): Promise<Translate> {
  const resources = (await (await fetch(localeUrls[code]!)).json()) as Namespaces;
  document.documentElement.lang = code;
  document.documentElement.dir = languageDir(code);
  const secure = location.protocol === 'https:' ? '; Secure' : '';
  // A session cookie: it ends with the browser, so a shared phone keeps no lasting sign of the visit.
  document.cookie = `redress_lang=${code}; path=/; SameSite=Strict${secure}`;
  history.replaceState(null, '', `?lang=${code}`);
  return createTranslate(resources);
}
