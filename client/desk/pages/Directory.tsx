// The remedy-pathway directory: every body that can act on a complaint, searchable, with what
// could not be verified marked as such. Admins add and edit entries (PathwayForm) and retire them.
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { TFunction } from 'i18next';
import type { Me } from '../../../protocol/desk-api.ts';
import type { PathwayEntry, PathwayView } from '../../../protocol/remedy-api.ts';
import { countryNames } from '../../../ui/i18n/index.ts';
import { api, errorText } from '../api.ts';
import { PathwayForm } from './PathwayForm.tsx';

/** One entry, in full: what a caseworker needs before referring, unverified fields flagged. */
export function PathwayDetails({ t, entry, lang }: { t: TFunction; entry: PathwayView; lang: string }) {
  const unverified = new Set(entry.unverified);
  const flag = (...fields: string[]) => (fields.some((f) => unverified.has(f)) ? <strong class="tag unverified"> {t('desk:remedy.directory.notVerified')}</strong> : null);
  const country = countryNames(lang);
  const row = (label: string, value: preact.ComponentChildren, ...fields: string[]) => (
    <div><dt>{label}{flag(...fields)}</dt><dd>{value}</dd></div>
  );
  return (
    <dl class="fields pathway">
      {row(t('desk:remedy.directory.whoMayComplain'), <span lang="en" dir="auto">{entry.whoMayComplain}</span>, 'whoMayComplain')}
      {row(t('desk:remedy.directory.about'), <span lang="en" dir="auto">{entry.about}</span>, 'about')}
      {row(t('desk:remedy.directory.countries'), entry.countries.length === 0 ? t('desk:remedy.directory.anywhere') : entry.countries.map(country).join(', '), 'countries')}
      {row(t('desk:remedy.directory.deadline'), <span lang="en" dir="auto">{entry.deadline.text}</span>, 'deadline', 'deadline.months', 'deadline.text')}
      {row(t('desk:remedy.directory.languages'), entry.languages.join(', '), 'languages')}
      {row(t('desk:remedy.directory.how'), (
        <ul class="how">
          {entry.how.web && <li><a href={entry.how.web} rel="noreferrer noopener" target="_blank" dir="ltr">{entry.how.web}</a>{flag('how.web')}</li>}
          {entry.how.email && <li dir="ltr">{entry.how.email}{flag('how.email')}</li>}
          {entry.how.postal && <li dir="auto">{entry.how.postal}{flag('how.postal')}</li>}
          {!entry.how.web && !entry.how.email && !entry.how.postal && <li>{t('desk:remedy.directory.noContact')}</li>}
        </ul>
      ), 'how')}
      {row(t('desk:remedy.directory.cost'), t(`desk:remedy.directory.costs.${entry.cost}`), 'cost')}
      {row(t('desk:remedy.directory.lawyer'), t(`desk:remedy.lawyer.${entry.lawyerNeeded}`), 'lawyerNeeded')}
      {row(t('desk:remedy.directory.canAchieve'), entry.canAchieve.map((p) => t(`desk:remedy.power.${p}`)).join(', ') || '—', 'canAchieve')}
      {row(t('desk:remedy.directory.typicalTime'), <span lang="en" dir="auto">{entry.typicalTime}</span>, 'typicalTime')}
      {row(t('desk:remedy.directory.sources'), (
        <ul class="how">{entry.sources.map((s) => <li key={s.url}><a href={s.url} rel="noreferrer noopener" target="_blank" lang="en">{s.title}</a></li>)}</ul>
      ))}
      {row(t('desk:remedy.directory.checked'), <span dir="ltr">{entry.checked}</span>)}
    </dl>
  );
}

export function Directory({ t, me, lang }: { t: TFunction; me: Me; lang: string }) {
  const [entries, setEntries] = useState<PathwayView[] | null>(null);
  const [query, setQuery] = useState('');
  const [editing, setEditing] = useState<PathwayView | 'new' | null>(null);
  const [error, setError] = useState('');
  const load = () => api<PathwayView[]>('GET', '/api/pathways').then(setEntries).catch((err) => setError(errorText(err)));
  useEffect(() => { void load(); }, []);

  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    if (!entries || !q) return entries ?? [];
    return entries.filter((e) => [e.id, e.name, e.countries.join(' '), t(`desk:remedy.kind.${e.kind}`)].join(' ').toLowerCase().includes(q));
  }, [entries, query]);

  async function save(entry: PathwayEntry, retired: boolean) {
    if (editing === 'new') await api('POST', '/api/pathways', entry);
    else await api('PUT', `/api/pathways/${entry.id}`, { entry, retired });
    setEditing(null);
    await load();
  }

  if (editing) {
    return <PathwayForm t={t} initial={editing === 'new' ? null : editing} onSave={save} onCancel={() => setEditing(null)} />;
  }
  return (
    <section class="directory">
      <h1>{t('desk:remedy.directory.title')}</h1>
      <p class="hint">{t('desk:remedy.directory.intro')}</p>
      <label for="directory-search">{t('desk:remedy.directory.search')}</label>
      <input id="directory-search" type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
      {me.role === 'admin' && <p><button type="button" onClick={() => setEditing('new')}>{t('desk:remedy.directory.add')}</button></p>}
      {error && <p class="error" role="alert">{error}</p>}
      {entries === null ? <p>{t('desk:working')}</p> : (
        <ul class="pathways">
          {shown.map((entry) => (
            <li key={entry.id}>
              <details>
                <summary>
                  <span lang="en" dir="auto">{entry.name}</span> <span class="meta">· {t(`desk:remedy.kind.${entry.kind}`)}</span>
                  {entry.urgent && <strong class="tag urgent"> {t('desk:remedy.directory.urgent')}</strong>}
                  {entry.retiredAt && <strong class="tag"> {t('desk:remedy.directory.retired')}</strong>}
                </summary>
                <PathwayDetails t={t} entry={entry} lang={lang} />
                {me.role === 'admin' && <button type="button" onClick={() => setEditing(entry)}>{t('desk:remedy.directory.edit')}</button>}
              </details>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
