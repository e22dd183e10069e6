// The signed-in desk: who I am, my unlocked keys (memory only), and the sections my role may use.
import { useEffect, useState } from 'preact/hooks';
import type { TFunction } from 'i18next';
import type { KeyPair } from '../../../protocol/envelope.ts';
import { api, setCsrfToken } from '../api.ts';
import { forgetKeys } from '../keys.ts';
import type { Me } from '../../../protocol/desk-api.ts';
import { SignIn } from './SignIn.tsx';
import { Queue } from './Queue.tsx';
import { CaseView } from './CaseView.tsx';
import { Admin } from './Admin.tsx';
import { Register } from './Register.tsx';
import { Statistics } from './Statistics.tsx';

export type View = { name: 'queue' } | { name: 'case'; id: string } | { name: 'admin' } | { name: 'stats' } | { name: 'register' };

export function Workspace({ t, lang }: { t: TFunction; lang: string }) {
  const [me, setMe] = useState<Me | null>(null);
  const [keys, setKeys] = useState<KeyPair | null>(null);
  const [checked, setChecked] = useState(false);
  const [view, setView] = useState<View>({ name: 'queue' });

  // A session may survive a reload; the private key does not (it lives in memory only).
  useEffect(() => {
    api<Me>('GET', '/api/me').then((found) => { setCsrfToken(found.csrfToken); setMe(found); }).catch(() => {}).finally(() => setChecked(true));
  }, []);

  async function signOut(everywhere: boolean) {
    await api('POST', everywhere ? '/api/auth/logout-everywhere' : '/api/auth/logout').catch(() => {});
    forgetKeys();
    setMe(null);
    setKeys(null);
  }

  if (!checked) return <p>{t('desk:working')}</p>;
  if (!me || !keys) {
    return <SignIn t={t} lockedMe={me ?? undefined} onSignedIn={(signedIn, unlocked) => { setMe(signedIn); setKeys(unlocked); setView(signedIn.role === 'analyst' ? { name: 'stats' } : { name: 'queue' }); }} />;
  }
  const isCaseworker = me.role !== 'analyst';
  const seesStats = me.role !== 'caseworker';
  const current = (names: View['name'][]) => (names.includes(view.name) ? 'page' : undefined);
  return (
    <div>
      <nav class="desk-nav" aria-label={t('desk:sections')}>
        {isCaseworker && <button type="button" class="link" aria-current={current(['queue', 'case'])} onClick={() => setView({ name: 'queue' })}>{t('desk:queue.title')}</button>}
        {seesStats && <button type="button" class="link" aria-current={current(['stats'])} onClick={() => setView({ name: 'stats' })}>{t('accountability:stats.title')}</button>}
        <button type="button" class="link" aria-current={current(['register'])} onClick={() => setView({ name: 'register' })}>{t('accountability:register.title')}</button>
        {me.role === 'admin' && <button type="button" class="link" aria-current={current(['admin'])} onClick={() => setView({ name: 'admin' })}>{t('desk:admin.title')}</button>}
        <span class="who">{me.email} · {t(`desk:roles.${me.role}`)}</span>
        <button type="button" class="link" onClick={() => void signOut(false)}>{t('desk:signOut')}</button>
        <button type="button" class="link" onClick={() => void signOut(true)}>{t('desk:signOutEverywhere')}</button>
      </nav>
      {view.name === 'stats' && seesStats ? <Statistics t={t} lang={lang} me={me} />
        : view.name === 'register' ? <Register t={t} lang={lang} me={me} />
        : me.role === 'analyst' ? <Statistics t={t} lang={lang} me={me} />
        : view.name === 'case' ? <CaseView t={t} lang={lang} id={view.id} me={me} keys={keys} onBack={() => setView({ name: 'queue' })} />
        : view.name === 'admin' && me.role === 'admin' ? <Admin t={t} me={me} keys={keys} />
        : <Queue t={t} me={me} onOpen={(id) => setView({ name: 'case', id })} />}
    </div>
  );
}
