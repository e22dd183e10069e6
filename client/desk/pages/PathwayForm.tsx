// An admin adds or edits a directory entry: the same fields as the data file, checked by the
// server exactly as an import is (a bad URL or a missing field comes back naming the field).
// Fields that could not be verified are ticked as such, so the desk keeps saying so.
import { useState } from 'preact/hooks';
import type { TFunction } from 'i18next';
import type { PathwayEntry, PathwayView } from '../../../protocol/remedy-api.ts';
import {
  DEPLOYER_CLASSES, HARM_CATEGORY_IDS, LAWYER_NEEDS, PATHWAY_COSTS, PATHWAY_KINDS, PATHWAY_POWERS,
} from '../../../protocol/taxonomy.ts';
import { DeskApiError, errorText } from '../api.ts';

const BLANK: PathwayEntry = {
  id: '', name: '', kind: 'ombudsman', whoMayComplain: '', about: '', countries: [], deployers: [], harmCategories: [], urgent: false,
  deadline: { months: null, text: '' }, languages: [], how: { web: null, email: null, postal: null }, cost: 'free', lawyerNeeded: 'no',
  canAchieve: [], typicalTime: '', sources: [], checked: new Date().toISOString().slice(0, 10), unverified: [],
};
const VERIFIABLE = ['whoMayComplain', 'about', 'countries', 'deadline', 'languages', 'how.web', 'how.email', 'how.postal', 'typicalTime'];

const list = (text: string) => text.split(',').map((s) => s.trim()).filter(Boolean);
const orNull = (text: string) => (text.trim() ? text.trim() : null);

export function PathwayForm({ t, initial, onSave, onCancel }: {
  t: TFunction; initial: PathwayView | null; onSave: (entry: PathwayEntry, retired: boolean) => Promise<void>; onCancel: () => void;
}) {
  const { retiredAt, ...start } = initial ?? { ...BLANK, retiredAt: null };
  const [entry, setEntry] = useState<PathwayEntry>(start);
  const [retired, setRetired] = useState(Boolean(retiredAt));
  const [sources, setSources] = useState(start.sources.map((s) => `${s.url} ${s.title}`).join('\n'));
  const [error, setError] = useState('');
  const set = <K extends keyof PathwayEntry>(key: K, value: PathwayEntry[K]) => setEntry({ ...entry, [key]: value });
  const label = (key: string) => t(`desk:remedy.directory.${key}`);
  const text = (key: 'id' | 'name' | 'whoMayComplain' | 'about' | 'typicalTime' | 'checked', rows = 0) => (
    <>
      <label for={`pw-${key}`}>{label(key)}</label>
      {rows ? <textarea id={`pw-${key}`} rows={rows} lang="en" value={entry[key]} onInput={(e) => set(key, e.currentTarget.value)} />
        : <input id={`pw-${key}`} value={entry[key]} readOnly={key === 'id' && initial !== null} dir={key === 'name' ? 'auto' : 'ltr'} onInput={(e) => set(key, e.currentTarget.value)} />}
    </>
  );
  const checks = <T extends string>(key: string, values: readonly T[], chosen: T[], onChange: (next: T[]) => void, name: (v: T) => string) => (
    <fieldset class="checks"><legend>{label(key)}</legend>
      {values.map((v) => (
        <label key={v} class="check"><input type="checkbox" checked={chosen.includes(v)}
          onChange={(e) => onChange(e.currentTarget.checked ? [...chosen, v] : chosen.filter((x) => x !== v))} /> {name(v)}</label>
      ))}
    </fieldset>
  );

  async function submit(e: Event) {
    e.preventDefault();
    setError('');
    const parsed = sources.split('\n').map((line) => line.trim()).filter(Boolean).map((line) => {
      const [url = '', ...title] = line.split(/\s+/);
      return { url, title: title.join(' ') || url };
    });
    try {
      await onSave({ ...entry, sources: parsed }, retired);
    } catch (err) {
      setError(err instanceof DeskApiError && err.field ? `${errorText(err)} (${err.field})` : errorText(err));
    }
  }

  return (
    <section>
      <h1>{initial ? initial.name : label('add')}</h1>
      <form class="card wide" onSubmit={submit}>
        {text('id')}
        {text('name')}
        <label for="pw-kind">{label('kind')}</label>
        <select id="pw-kind" value={entry.kind} onChange={(e) => set('kind', e.currentTarget.value as PathwayEntry['kind'])}>
          {PATHWAY_KINDS.map((k) => <option key={k} value={k}>{t(`desk:remedy.kind.${k}`)}</option>)}
        </select>
        {text('whoMayComplain', 3)}
        {text('about', 4)}
        <label for="pw-countries">{label('countries')} ({label('listHint')})</label>
        <input id="pw-countries" dir="ltr" value={entry.countries.join(', ')} onInput={(e) => set('countries', list(e.currentTarget.value.toUpperCase()))} />
        {checks('deployers', DEPLOYER_CLASSES, entry.deployers, (v) => set('deployers', v), (v) => t(`desk:remedy.deployer.${v}`))}
        {checks('harmCategories', HARM_CATEGORY_IDS, entry.harmCategories, (v) => set('harmCategories', v), (v) => t(`taxonomy:category.${v}`))}
        <label class="check"><input type="checkbox" checked={entry.urgent} onChange={(e) => set('urgent', e.currentTarget.checked)} /> {label('urgent')}</label>
        <label for="pw-months">{label('deadlineMonths')}</label>
        <input id="pw-months" inputMode="numeric" dir="ltr" value={entry.deadline.months ?? ''} onInput={(e) => set('deadline', { ...entry.deadline, months: e.currentTarget.value ? Number(e.currentTarget.value) : null })} />
        <label for="pw-deadline">{label('deadline')}</label>
        <textarea id="pw-deadline" rows={2} lang="en" value={entry.deadline.text} onInput={(e) => set('deadline', { ...entry.deadline, text: e.currentTarget.value })} />
        <label for="pw-languages">{label('languages')} ({label('listHint')})</label>
        <input id="pw-languages" dir="ltr" value={entry.languages.join(', ')} onInput={(e) => set('languages', list(e.currentTarget.value.toLowerCase()))} />
        {(['web', 'email', 'postal'] as const).map((k) => (
          <div key={k}>
            <label for={`pw-how-${k}`}>{label(`how_${k}`)}</label>
            <input id={`pw-how-${k}`} dir={k === 'postal' ? 'auto' : 'ltr'} value={entry.how[k] ?? ''} onInput={(e) => set('how', { ...entry.how, [k]: orNull(e.currentTarget.value) })} />
          </div>
        ))}
        <label for="pw-cost">{label('cost')}</label>
        <select id="pw-cost" value={entry.cost} onChange={(e) => set('cost', e.currentTarget.value as PathwayEntry['cost'])}>
          {PATHWAY_COSTS.map((c) => <option key={c} value={c}>{t(`desk:remedy.directory.costs.${c}`)}</option>)}
        </select>
        <label for="pw-lawyer">{label('lawyer')}</label>
        <select id="pw-lawyer" value={entry.lawyerNeeded} onChange={(e) => set('lawyerNeeded', e.currentTarget.value as PathwayEntry['lawyerNeeded'])}>
          {LAWYER_NEEDS.map((l) => <option key={l} value={l}>{t(`desk:remedy.lawyer.${l}`)}</option>)}
        </select>
        {checks('canAchieve', PATHWAY_POWERS, entry.canAchieve, (v) => set('canAchieve', v), (v) => t(`desk:remedy.power.${v}`))}
        {text('typicalTime', 2)}
        <label for="pw-sources">{label('sources')}</label>
        <p class="hint" id="pw-sources-hint">{label('sourcesHint')}</p>
        <textarea id="pw-sources" rows={3} dir="ltr" aria-describedby="pw-sources-hint" value={sources} onInput={(e) => setSources(e.currentTarget.value)} />
        {text('checked')}
        {checks('unverifiedFields', VERIFIABLE, entry.unverified, (v) => set('unverified', v), (v) => label(v.replace('.', '_')))}
        {initial && <label class="check"><input type="checkbox" checked={retired} onChange={(e) => setRetired(e.currentTarget.checked)} /> {label('retire')}</label>}
        {error && <p class="error" role="alert">{error}</p>}
        <button type="submit" class="primary">{label('save')}</button>{' '}
        <button type="button" onClick={onCancel}>{t('desk:remedy.cancel')}</button>
      </form>
    </section>
  );
}
