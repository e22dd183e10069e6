// The frame of every public page: quick exit, language chooser, main content. Rendered on the
// server for the first paint (and for browsers without JavaScript) and by the app afterwards.
import type { ComponentChildren } from 'preact';
import type { Translate } from '../i18n/index.ts';
import { LanguageChooser } from './LanguageChooser.tsx';

interface Props {
  t: Translate;
  lang: string;
  quickExitUrl: string;
  /** Path the language links point to (the current page). */
  path: string;
  onLanguage?: (code: string) => void;
  children: ComponentChildren;
}

let leavingQuickly = false;

/** True once quick exit was pressed: no "are you sure?" may stand in the way. */
export const isLeavingQuickly = () => leavingQuickly;

export function quickExit(url: string): void {
  leavingQuickly = true;
  // replace(): the back button must not lead back here.
  try { sessionStorage.clear(); } catch { /* storage may be disabled */ }
  window.location.replace(url);
}

export function Layout({ t, lang, quickExitUrl, path, onLanguage, children }: Props) {
  return (
    <div class="page">
      <header class="top">
        <a
          class="quick-exit"
          href={quickExitUrl}
          rel="noreferrer"
          title={t('quickExitHint')}
          onClick={(e) => { e.preventDefault(); quickExit(quickExitUrl); }}
        >
          {t('quickExit')}
        </a>
        <LanguageChooser t={t} lang={lang} path={path} onLanguage={onLanguage} />
      </header>
      <main id="main">{children}</main>
      <footer class="bottom">
        {path !== '/follow-up' && <p><a href={`/follow-up?lang=${lang}`}>{t('followUpLink')}</a></p>}
        <p class="hint quick-exit-limits">{t('quickExitLimits')}</p>
      </footer>
    </div>
  );
}

/** The "who can see this" marker on every question. */
export function Visibility({ t, sealed }: { t: Translate; sealed: boolean }) {
  return <span class={sealed ? 'badge sealed' : 'badge clear'}>{sealed ? t('privacy.sealed') : t('privacy.clear')}</span>;
}

/** The plain explainer of the two markers, at the top of every step. */
export function PrivacyNote({ t }: { t: Translate }) {
  return (
    <details class="privacy">
      <summary>{t('privacy.title')}</summary>
      <p><Visibility t={t} sealed={false} /> {t('privacy.clearHint')}</p>
      <p><Visibility t={t} sealed /> {t('privacy.sealedHint')}</p>
    </details>
  );
}
