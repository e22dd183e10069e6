// The signed-in desk: who I am, my unlocked keys (memory only), and the sections my role may use.
// After unlocking, the desk publishes the verify key of any team key I hold that has none, and
// warns if a published one is not the one my team key gives (PROTOCOL.md §28.6).
import { useEffect, useState } from 'preact/hooks';
import type { TFunction } from 'i18next';
import type { KeyPair } from '../../../protocol/envelope.ts';
import { api, setCsrfToken } from '../api.ts';
import { forgetKeys, reconcileVerifyKeys } from '../keys.ts';
import type { Me, TeamView } from '../../../protocol/desk-api.ts';
import { SignIn } from './SignIn.tsx';
import { Queue } from './Queue.tsx';
import { CaseView } from './CaseView.tsx';
import { Admin } from './Admin.tsx';
import { Register } from './Register.tsx';
import { Statistics } from './Statistics.tsx';
import { Accounts } from './Accounts.tsx';
import { AuditLog } from './AuditLog.tsx';
import { Deadlines } from './Deadlines.tsx';
import { Directory } from './Directory.tsx';
import { Settings } from './Settings.tsx';

export type View = { name: 'queue' } | { name: 'case'; id: string } | { name: 'admin' } | { name: 'accounts' } | { name: 'audit' }
  | { name: 'deadlines' } | { name: 'directory' } | { name: 'settings' } | { name: 'stats' } | { name: 'register' };

export function Workspace({ t, lang }: { t: TFunction; lang: string }) {
  const [me, setMe] = useState<Me | null>(null);
  const [keys, setKeys] = useState<KeyPair | null>(null);
  const [checked, setChecked] = useState(false);
  const [view, setView] = useState<View>({ name: 'queue' });
  const [mismatched, setMismatched] = useState<string[]>([]);

  // A session may survive a reload; the private key does not (it lives in memory only).
  useEffect(() => {
    api<Me>('GET', '/api/me').then((found) => { setCsrfToken(found.csrfToken); setMe(found); }).catch(() => {}).finally(() => setChecked(true));
  }, []);

  useEffect(() => {
    if (!me || !keys || me.role === 'analyst') return;
    api<TeamView[]>('GET', '/api/teams').then((teams) => reconcileVerifyKeys(teams, keys)).then(setMismatched).catch(() => {});
  }, [me, keys]);

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
  const isAdmin = me.role === 'admin';
  const section = (name: View['name'], label: string, also: View['name'][] = []) => (
    <button type="button" class="link" aria-current={view.name === name || also.includes(view.name) ? 'page' : undefined} onClick={() => setView({ name } as View)}>{label}</button>
  );
  return (
    <div>
      <nav class="desk-nav" aria-label={t('desk:sections')}>
        {isCaseworker && section('queue', t('desk:queue.title'), ['case'])}
        {isCaseworker && section('deadlines', t('desk:remedy.deadlines.title'))}
        {seesStats && section('stats', t('accountability:stats.title'))}
        {section('register', t('accountability:register.title'))}
        {section('directory', t('desk:remedy.directory.title'))}
        {section('settings', t('desk:remedy.settings.title'))}
        {isAdmin && section('accounts', t('desk:accounts.title'))}
        {isAdmin && section('admin', t('desk:admin.title'))}
        {isAdmin && section('audit', t('desk:admin.audit'))}
        <span class="who">{me.email} · {t(`desk:roles.${me.role}`)}</span>
        <button type="button" class="link" onClick={() => void signOut(false)}>{t('desk:signOut')}</button>
        <button type="button" class="link" onClick={() => void signOut(true)}>{t('desk:signOutEverywhere')}</button>
      </nav>
      {mismatched.length > 0 && <p class="error" role="alert">{t('desk:trust.keyMismatch', { teams: mismatched.join(', ') })}</p>}
      {view.name === 'stats' && seesStats ? <Statistics t={t} lang={lang} me={me} />
        : view.name === 'register' ? <Register t={t} lang={lang} me={me} />
        : view.name === 'directory' ? <Directory t={t} me={me} lang={lang} />
        : view.name === 'settings' ? <Settings t={t} me={me} onSaved={setMe} />
        : me.role === 'analyst' ? <Statistics t={t} lang={lang} me={me} />
        : view.name === 'deadlines' ? <Deadlines t={t} onOpen={(id) => setView({ name: 'case', id })} />
        : view.name === 'case' ? <CaseView t={t} lang={lang} id={view.id} me={me} keys={keys} onBack={() => setView({ name: 'queue' })} />
        : view.name === 'admin' && isAdmin ? <Admin t={t} me={me} keys={keys} />
        : view.name === 'accounts' && isAdmin ? <Accounts t={t} me={me} keys={keys} />
        : view.name === 'audit' && isAdmin ? <AuditLog t={t} lang={lang} />
        : <Queue t={t} me={me} onOpen={(id) => setView({ name: 'case', id })} />}
    </div>
  );
}
