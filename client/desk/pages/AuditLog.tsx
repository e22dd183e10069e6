// The audit log, for admins (PROTOCOL.md §32): each action as a sentence, names instead of ids,
// filters by account, kind of action and days, older entries on demand, and a CSV export with the
// same filters. `npm run cli -- verify-audit` stays the authority on the chain.
import { useEffect, useState } from 'preact/hooks';
import type { TFunction } from 'i18next';
import type { AuditEntry, AuditPage, UserSummary } from '../../../protocol/accounts-api.ts';
import { api, errorText } from '../api.ts';

/** Action prefixes to filter by: the areas of §20. */
const AREAS = ['auth.', 'account.', 'invitation.', 'team.', 'routing.', 'case.', 'texts.', 'setup.'] as const;

export function AuditLog({ t, lang }: { t: TFunction; lang: string }) {
  const [filters, setFilters] = useState({ actor: '', action: '', from: '', to: '' });
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [names, setNames] = useState<Record<string, string>>({});
  const [users, setUsers] = useState<UserSummary[]>([]);
  const [more, setMore] = useState(false);
  const [error, setError] = useState('');

  const query = (extra: Record<string, string> = {}) => {
    const q = new URLSearchParams({ ...filters, ...extra });
    for (const [k, v] of [...q]) if (!v) q.delete(k);
    return q.toString();
  };
  async function load(before?: number) {
    const page = await api<AuditPage>('GET', `/api/audit?${query(before ? { before: String(before) } : {})}`);
    setEntries((prev) => (before ? [...prev, ...page.entries] : page.entries));
    setNames((prev) => ({ ...prev, ...page.names }));
    setMore(page.entries.length === 100);
  }
  useEffect(() => { load().catch((err) => setError(errorText(err))); }, [filters]);
  useEffect(() => { api<UserSummary[]>('GET', '/api/users').then(setUsers).catch(() => {}); }, []);

  const name = (id: string | null) => (id ? names[id] ?? id : '');
  const detail = (e: AuditEntry) => Object.entries(e.detail)
    .map(([k, v]) => `${k}: ${k === 'user' && typeof v === 'string' ? name(v) : String(v)}`).join(', ');
  const set = (key: keyof typeof filters, value: string) => setFilters({ ...filters, [key]: value });
  return (
    <section class="admin audit-log">
      <h1>{t('desk:admin.audit')}</h1>
      <p class="hint">{t('desk:auditLog.hint')}</p>
      <div class="filters">
        <label class="filter">{t('desk:admin.who')}
          <select value={filters.actor} onChange={(e) => set('actor', e.currentTarget.value)}>
            <option value="">{t('desk:queue.any')}</option>
            {users.map((u) => <option key={u.id} value={u.id}>{u.email}</option>)}
          </select>
        </label>
        <label class="filter">{t('desk:admin.what')}
          <select value={filters.action} onChange={(e) => set('action', e.currentTarget.value)}>
            <option value="">{t('desk:queue.any')}</option>
            {AREAS.map((a) => <option key={a} value={a}>{t(`desk:auditLog.area.${a.slice(0, -1)}`)}</option>)}
          </select>
        </label>
        <label class="filter">{t('desk:auditLog.from')}<input type="date" value={filters.from} onInput={(e) => set('from', e.currentTarget.value)} /></label>
        <label class="filter">{t('desk:auditLog.to')}<input type="date" value={filters.to} onInput={(e) => set('to', e.currentTarget.value)} /></label>
        <a class="button" href={`/api/audit.csv?${query({ lang })}`} download>{t('desk:auditLog.export')}</a>
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      {entries.length === 0 ? <p>{t('desk:auditLog.empty')}</p> : (
        <div class="table-scroll">
        <table class="audit">
          <thead><tr><th>#</th><th>{t('desk:admin.when')}</th><th>{t('desk:admin.who')}</th><th>{t('desk:admin.what')}</th><th>{t('desk:admin.subject')}</th></tr></thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.seq}>
                <td>{e.seq}</td>
                <td>{e.at.slice(0, 16).replace('T', ' ')}</td>
                <td><bdi>{name(e.actor)}</bdi></td>
                <td title={e.action}>{t(`desk:auditLog.action.${e.action}`, { defaultValue: e.action })}{detail(e) && <> <bdi class="meta" dir="ltr">({detail(e)})</bdi></>}</td>
                <td><bdi>{name(e.subject)}</bdi></td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
      {more && <p><button type="button" onClick={() => void load(entries.at(-1)!.seq).catch((err) => setError(errorText(err)))}>{t('desk:auditLog.older')}</button></p>}
    </section>
  );
}
