// The register of AI deployments at the desk: every entry with the six questions at a glance and
// what the cases show; admins and caseworkers add and edit entries, admins remove unlinked ones.
import { useEffect, useState } from 'preact/hooks';
import type { TFunction } from 'i18next';
import type { Me } from '../../../protocol/desk-api.ts';
import type { DeploymentEntry, DeploymentView, RegisterView } from '../../../protocol/register-api.ts';
import { DEPLOYER_CLASSES, SYSTEM_TYPES } from '../../../protocol/taxonomy.ts';
import { DeploymentCard } from '../../../ui/register/DeploymentCard.tsx';
import { api, errorText } from '../api.ts';

type Draft = Record<'systemName' | 'deployer' | 'countries' | 'statedPurpose' | 'actualUse' | 'legalBasis' | 'oversightBody' | 'errorFigures'
  | 'auditedBy' | 'pathwayNote' | 'friaUrl' | 'sources' | 'checked' | 'unverified', string> & {
  systemType: string; deployerClass: string; oversightIndependent: 'yes' | 'no' | 'unknown'; errorRatesPublished: boolean; friaPublished: boolean; pathwayIds: string[];
};

const EMPTY: Draft = {
  systemName: '', deployer: '', countries: '', statedPurpose: '', actualUse: '', legalBasis: '', oversightBody: '', errorFigures: '', auditedBy: '',
  pathwayNote: '', friaUrl: '', sources: '', checked: '', unverified: '', systemType: 'unknown', deployerClass: 'unknown', oversightIndependent: 'unknown',
  errorRatesPublished: false, friaPublished: false, pathwayIds: [],
};

function draftOf(e: DeploymentEntry): Draft {
  return {
    systemName: e.systemName, deployer: e.deployer, countries: e.countries.join(', '), statedPurpose: e.statedPurpose, actualUse: e.actualUse ?? '',
    legalBasis: e.legalBasis ?? '', oversightBody: e.oversightBody ?? '', errorFigures: e.errorRates.figures ?? '', auditedBy: e.errorRates.auditedBy ?? '',
    pathwayNote: e.pathwayNote ?? '', friaUrl: e.fria.url ?? '', checked: e.checked ?? '', unverified: e.unverified.join(', '),
    sources: e.sources.map((s) => [s.url, s.title, s.date ?? ''].join(' | ')).join('\n'), systemType: e.systemType, deployerClass: e.deployerClass,
    oversightIndependent: e.oversightIndependent === null ? 'unknown' : e.oversightIndependent ? 'yes' : 'no',
    errorRatesPublished: e.errorRates.published, friaPublished: e.fria.published, pathwayIds: e.pathwayIds,
  };
}

const orNull = (text: string) => text.trim() || null;
const list = (text: string) => text.split(',').map((s) => s.trim()).filter(Boolean);

function entryOf(d: Draft): DeploymentEntry {
  return {
    systemName: d.systemName.trim(), systemType: d.systemType as DeploymentEntry['systemType'], deployer: d.deployer.trim(),
    deployerClass: d.deployerClass as DeploymentEntry['deployerClass'], countries: list(d.countries).map((c) => c.toUpperCase()) as DeploymentEntry['countries'],
    statedPurpose: d.statedPurpose.trim(), actualUse: orNull(d.actualUse), legalBasis: orNull(d.legalBasis), oversightBody: orNull(d.oversightBody),
    oversightIndependent: d.oversightIndependent === 'unknown' ? null : d.oversightIndependent === 'yes',
    errorRates: { published: d.errorRatesPublished, figures: orNull(d.errorFigures), auditedBy: orNull(d.auditedBy) },
    pathwayIds: d.pathwayIds, pathwayNote: orNull(d.pathwayNote), fria: { published: d.friaPublished, url: orNull(d.friaUrl) },
    sources: d.sources.split('\n').map((line) => line.split('|').map((part) => part.trim())).filter(([url]) => url)
      .map(([url, title, date]) => ({ url: url!, title: title || url!, date: date || null })),
    checked: orNull(d.checked), unverified: list(d.unverified),
  };
}

export function Register({ t, lang, me }: { t: TFunction; lang: string; me: Me }) {
  const [register, setRegister] = useState<RegisterView | null>(null);
  const [editing, setEditing] = useState<{ id: string | null; draft: Draft } | null>(null);
  const [error, setError] = useState('');
  const r = (key: string, vars?: Record<string, unknown>) => t(`accountability:register.${key}`, vars);
  const canEdit = me.role !== 'analyst';
  const load = () => api<RegisterView>('GET', '/api/deployments').then(setRegister).catch((err) => setError(errorText(err)));
  useEffect(() => { void load(); }, []);

  async function act(fn: () => Promise<unknown>) {
    setError('');
    try { await fn(); setEditing(null); await load(); } catch (err) { setError(errorText(err)); }
  }
  const save = () => act(() => (editing!.id
    ? api<DeploymentView>('PUT', `/api/deployments/${editing!.id}`, entryOf(editing!.draft))
    : api<DeploymentView>('POST', '/api/deployments', entryOf(editing!.draft))));

  if (!register) return error ? <p class="error" role="alert">{error}</p> : <p>{t('desk:working')}</p>;
  return (
    <section class="register">
      <h1>{r('title')}</h1>
      <p>{r('intro', { k: register.k })}</p>
      {error && <p class="error" role="alert">{error}</p>}
      {canEdit && !editing && <button type="button" class="primary" onClick={() => setEditing({ id: null, draft: EMPTY })}>{r('add')}</button>}
      {editing && <EntryForm t={t} draft={editing.draft} directory={register.directory} onChange={(draft) => setEditing({ ...editing, draft })}
        onSave={() => void save()} onCancel={() => setEditing(null)} />}
      {register.entries.map((view) => (
        <DeploymentCard key={view.id} view={view} t={t} lang={lang} level={2}>
          {canEdit && <button type="button" onClick={() => setEditing({ id: view.id, draft: draftOf(view.entry) })}>{r('edit')}</button>}
          {me.role === 'admin' && <button type="button" class="link" onClick={() => void act(() => api('DELETE', `/api/deployments/${view.id}`))}>{r('delete')}</button>}
        </DeploymentCard>
      ))}
    </section>
  );
}

interface FormProps { t: TFunction; draft: Draft; directory: RegisterView['directory']; onChange: (d: Draft) => void; onSave: () => void; onCancel: () => void }

function EntryForm({ t, draft, directory, onChange, onSave, onCancel }: FormProps) {
  const f = (key: string) => t(`accountability:register.fields.${key}`);
  const set = (patch: Partial<Draft>) => onChange({ ...draft, ...patch });
  const text = (key: keyof Draft & string, label: string, long = false) => (
    <label>{f(label)}
      {long ? <textarea rows={3} value={draft[key] as string} onInput={(e) => set({ [key]: e.currentTarget.value })} />
        : <input value={draft[key] as string} onInput={(e) => set({ [key]: e.currentTarget.value })} />}
    </label>
  );
  return (
    <form class="card entry-form" onSubmit={(e) => { e.preventDefault(); onSave(); }}>
      {text('systemName', 'systemName')}
      <label>{f('systemType')}<select value={draft.systemType} onChange={(e) => set({ systemType: e.currentTarget.value })}>
        {SYSTEM_TYPES.map((id) => <option key={id} value={id}>{t(`accountability:labels.system.${id}`)}</option>)}</select></label>
      {text('deployer', 'deployer')}
      <label>{f('deployerClass')}<select value={draft.deployerClass} onChange={(e) => set({ deployerClass: e.currentTarget.value })}>
        {DEPLOYER_CLASSES.map((id) => <option key={id} value={id}>{t(`accountability:labels.deployer.${id}`)}</option>)}</select></label>
      {text('countries', 'countries')}
      {text('statedPurpose', 'statedPurpose', true)}
      {text('actualUse', 'actualUse', true)}
      {text('legalBasis', 'legalBasis', true)}
      {text('oversightBody', 'oversightBody')}
      <label>{f('oversightIndependent')}<select value={draft.oversightIndependent} onChange={(e) => set({ oversightIndependent: e.currentTarget.value as Draft['oversightIndependent'] })}>
        {(['yes', 'no', 'unknown'] as const).map((v) => <option key={v} value={v}>{t(`accountability:register.${v}`)}</option>)}</select></label>
      <label class="check"><input type="checkbox" checked={draft.errorRatesPublished} onChange={(e) => set({ errorRatesPublished: e.currentTarget.checked })} /> {f('errorRatesPublished')}</label>
      {text('errorFigures', 'errorRates', true)}
      {text('auditedBy', 'auditedBy')}
      <label>{f('pathways')}<select multiple size={6} onChange={(e) => set({ pathwayIds: [...e.currentTarget.selectedOptions].map((o) => o.value) })}>
        {directory.map((p) => <option key={p.id} value={p.id} selected={draft.pathwayIds.includes(p.id)}>{p.name}</option>)}</select></label>
      {text('pathwayNote', 'pathwayNote', true)}
      <label class="check"><input type="checkbox" checked={draft.friaPublished} onChange={(e) => set({ friaPublished: e.currentTarget.checked })} /> {f('friaPublished')}</label>
      {text('friaUrl', 'friaUrl')}
      {text('sources', 'sources', true)}
      <label>{f('checked')}<input type="date" value={draft.checked} onInput={(e) => set({ checked: e.currentTarget.value })} /></label>
      {text('unverified', 'unverified')}
      <div class="actions">
        <button type="submit" class="primary">{t('accountability:register.save')}</button>
        <button type="button" onClick={onCancel}>{t('accountability:register.cancel')}</button>
      </div>
    </form>
  );
}
