// The language chooser of the public pages: the current language, and a native disclosure
// (<details>) that opens the full list of 24, each name in its own script. It works without
// JavaScript (the list is plain links, ?lang=); in the app the list can be searched by a
// language's own name or its English name, and choosing one switches in place.
import { useRef, useState } from 'preact/hooks';
import type { Translate } from '../i18n/index.ts';
import { LANGUAGES } from '../../protocol/taxonomy.ts';

interface Props {
  t: Translate;
  lang: string;
  /** The page the links lead to, in the chosen language. */
  path: string;
  /** Set by the app: switch in place instead of loading the page again. */
  onLanguage?: (code: string) => void;
}

/** Case- and accent-insensitive comparison for the search box. */
const fold = (text: string) => text.normalize('NFKD').replace(/\p{M}/gu, '').toLocaleLowerCase();

export function LanguageChooser({ t, lang, path, onLanguage }: Props) {
  const current = LANGUAGES.find((l) => l.code === lang) ?? LANGUAGES[0]!;
  const [query, setQuery] = useState('');
  const details = useRef<HTMLDetailsElement>(null);
  const wanted = fold(query.trim());
  const shown = LANGUAGES.filter((l) => !wanted || fold(`${l.nativeName} ${l.englishName} ${l.code}`).includes(wanted));
  return (
    <details class="languages" ref={details}>
      <summary>
        <span class="languages-label">{t('language')}:</span> <span lang={current.code} dir={current.dir}>{current.nativeName}</span>
      </summary>
      <nav aria-label={t('language')}>
        {onLanguage && (
          <input type="search" class="languages-search" aria-label={t('languageSearch')} placeholder={t('languageSearch')}
            value={query} onInput={(e) => setQuery(e.currentTarget.value)} dir="auto" autoComplete="off" />
        )}
        <ul>
          {shown.map((l) => (
            <li key={l.code}>
              <a
                href={`${path}?lang=${l.code}`}
                lang={l.code}
                hreflang={l.code}
                dir={l.dir}
                aria-current={l.code === lang ? 'true' : undefined}
                onClick={onLanguage && ((e) => {
                  e.preventDefault();
                  if (details.current) details.current.open = false;
                  setQuery('');
                  onLanguage(l.code);
                })}
              >
                {l.nativeName}
              </a>
              {onLanguage && l.englishName !== l.nativeName && <span class="languages-english" lang="en" dir="ltr">{l.englishName}</span>}
            </li>
          ))}
        </ul>
        {shown.length === 0 && <p class="hint">{t('languageNoMatch')}</p>}
      </nav>
    </details>
  );
}
