// Entry of the desk (caseworkers, admins, analysts): a separate bundle from the public form.
// Routes: /desk/setup (first run), /desk/invite (accept an invitation), /desk (sign in, then work).
import { render } from 'preact';
import { useState } from 'preact/hooks';
import type { i18n } from 'i18next';
import type { DeskBoot } from '../../protocol/api.ts';
import type { Namespaces } from '../../ui/i18n/index.ts';
import { createI18n } from '../../ui/i18n/i18next.ts';
import { languageDir } from '../../protocol/taxonomy.ts';
import { Setup } from './pages/Setup.tsx';
import { Invite } from './pages/Invite.tsx';
import { Workspace } from './pages/Workspace.tsx';
import { setDeskLocaleUrls } from './locales.ts';
import './desk.css';


function Desk({ boot }: { boot: DeskBoot }) {
  const [i18n, setI18n] = useState<i18n>(() => createI18n(boot.lang, boot.resources));
  const t = i18n.t.bind(i18n);
  async function changeLanguage(code: string) {
    const resources = (await (await fetch(boot.localeUrls[code]!)).json()) as Namespaces;
    setI18n(createI18n(code, resources));
    document.documentElement.lang = code;
    document.documentElement.dir = languageDir(code);
    document.cookie = `redress_desk_lang=${code}; path=/desk; max-age=31536000; SameSite=Strict`;
  }
  const path = window.location.pathname;
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
  return (
    <div class="desk">
      <header class="desk-top">
        <strong>{t('desk:title')}</strong>
        {/* 24 languages: a list to choose from, not a row of links that would overflow the header. */}
        <label class="desk-language">
          <span>{t('desk:language')}</span>{' '}
          <select value={i18n.language} onChange={(e) => void changeLanguage(e.currentTarget.value)}>
            {boot.languages.map((l) => <option key={l.code} value={l.code} lang={l.code}>{l.nativeName}</option>)}
          </select>
        </label>
      </header>
      <main>
        {path.startsWith('/desk/setup') ? <Setup t={t} token={token} />
          : path.startsWith('/desk/invite') ? <Invite t={t} token={token} />
          : <Workspace t={t} lang={i18n.language} />}
      </main>
    </div>
  );
}

const bootElement = document.getElementById('boot');
const root = document.getElementById('desk');
if (bootElement && root) {
  const boot = JSON.parse(bootElement.textContent ?? '{}') as DeskBoot;
  setDeskLocaleUrls(boot.localeUrls);
  render(<Desk boot={boot} />, root);
}
