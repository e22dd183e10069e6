// The triage queue: my teams' cases, filterable and searchable by reference, sorted by their next
// deadline, with counts per status, overdue, urgent and unread.
import { useEffect, useState } from 'preact/hooks';
import type { TFunction } from 'i18next';
import { CASE_STATUSES, HARM_CATEGORIES } from '../../../protocol/taxonomy.ts';
import { api, errorText } from '../api.ts';
import type { Me, QueuePage } from '../../../protocol/desk-api.ts';
import { DeadlineLabel } from '../deadline-label.tsx';

export function Queue({ t, me, onOpen }: { t: TFunction; me: Me; onOpen: (id: string) => void }) {
  const [filters, setFilters] = useState<Record<string, string>>({});
  const [page, setPage] = useState(1);
  const [data, setData] = useState<QueuePage | null>(null);
  const [error, setError] = useState('');
  const [search, setSearch] = useState('');

  useEffect(() => {
    const query = new URLSearchParams({ ...filters, page: String(page) });
    for (const [k, v] of [...query]) if (!v) query.delete(k);
    api<QueuePage>('GET', `/api/cases?${query}`).then(setData).catch((err) => setError(errorText(err)));
  }, [filters, page]);

  const set = (name: string, value: string) => { setPage(1); setFilters({ ...filters, [name]: value }); };
  const select = (name: string, label: string, options: [string, string][]) => (
    <label class="filter">{label}
      <select value={filters[name] ?? ''} onChange={(e) => set(name, e.currentTarget.value)}>
        <option value="">{t('desk:queue.any')}</option>
        {options.map(([value, text]) => <option key={value} value={value}>{text}</option>)}
      </select>
    </label>
  );
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  // Invited but not yet given any team key: say so, rather than show an empty queue (§31.6).
  const waiting = me.teams.filter((team) => !team.granted);
  const waitingForAll = waiting.length === me.teams.length;
  return (
    <section>
      <h1>{t('desk:queue.title')}</h1>
      {waiting.length > 0 && (
        <div class={waitingForAll ? 'card waiting' : 'notice'} role="status">
          {waitingForAll && <h2>{t('desk:waiting.title')}</h2>}
          <p>{me.teams.length === 0 ? t('desk:waiting.noTeam') : t('desk:waiting.teams', { teams: waiting.map((team) => team.name).join(', ') })}</p>
        </div>
      )}
      {data && (
        <p class="counts">
          {CASE_STATUSES.filter((s) => data.counts.byStatus[s]).map((s) => `${t(`desk:status.${s}`)}: ${data.counts.byStatus[s]}`).join(' · ')}
          {' · '}{t('desk:queue.overdue')}: {data.counts.overdue} · {t('desk:queue.urgent')}: {data.counts.urgent}
          {' · '}{t('desk:remedy.unread')}: {data.counts.unread}
        </p>
      )}
      <form class="search" role="search" onSubmit={(e) => { e.preventDefault(); set('reference', search.trim()); }}>
        <label for="reference-search">{t('desk:remedy.findReference')}</label>
        <span class="inline">
          <input id="reference-search" value={search} dir="ltr" autoComplete="off" aria-describedby="reference-hint" onInput={(e) => setSearch(e.currentTarget.value)} />
          <button type="submit">{t('desk:remedy.find')}</button>
        </span>
        <span id="reference-hint" class="hint">{t('desk:remedy.findHint')}</span>
      </form>
      <div class="filters">
        {select('status', t('desk:case.status'), CASE_STATUSES.filter((s) => s !== 'purged').map((s) => [s, t(`desk:status.${s}`)]))}
        {select('category', t('desk:case.category'), HARM_CATEGORIES.map((c) => [c.id, t(`taxonomy:category.${c.id}`)]))}
        {select('urgent', t('desk:queue.urgent'), [['true', t('desk:yes')], ['false', t('desk:no')]])}
        {select('overdue', t('desk:queue.overdue'), [['true', t('desk:yes')]])}
        {select('unread', t('desk:remedy.unread'), [['true', t('desk:yes')]])}
        {select('assignee', t('desk:case.assignee'), [[me.id, t('desk:queue.mine')], ['none', t('desk:queue.unassigned')]])}
        {select('sort', t('desk:queue.sort'), [['deadline', t('desk:queue.byDeadline')], ['received', t('desk:queue.byReceived')]])}
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      {data && <p class="count" role="status">{t('desk:queue.count', { count: data.total })}</p>}
      {data && data.items.length === 0 && !waitingForAll && <p>{t('desk:queue.empty')}</p>}
      {data && data.items.length > 0 && (
        <div class="table-scroll"><table class="queue">
          <thead><tr>
            <th>{t('desk:remedy.reference')}</th><th>{t('desk:case.received')}</th><th>{t('desk:case.category')}</th><th>{t('desk:case.country')}</th>
            <th>{t('desk:case.status')}</th><th>{t('desk:remedy.nextDeadline')}</th>
          </tr></thead>
          <tbody>
            {data.items.map((item) => (
              <tr key={item.id} class={item.overdue ? 'overdue' : undefined}>
                <td>
                  <button type="button" class="link reference" dir="ltr" onClick={() => onOpen(item.id)}>{item.reference}</button>
                  {item.unread > 0 && <strong class="tag unread"> {t('desk:remedy.unreadCount', { n: item.unread })}</strong>}
                </td>
                <td>{item.receivedOn}</td>
                <td>{item.urgent && <strong class="tag urgent">{t('desk:queue.urgent')}</strong>} {t(`taxonomy:category.${item.category}`)}</td>
                <td>{item.country} · {item.language}</td>
                <td>{t(`desk:status.${item.status}`)}</td>
                <td>{item.deadline ? <DeadlineLabel t={t} timer={item.deadline} /> : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table></div>
      )}
      {pages > 1 && (
        <p class="pager">
          <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>{t('desk:previous')}</button>
          {' '}{t('desk:pageOf', { page, pages })}{' '}
          <button type="button" disabled={page >= pages} onClick={() => setPage(page + 1)}>{t('desk:next')}</button>
        </p>
      )}
    </section>
  );
}
