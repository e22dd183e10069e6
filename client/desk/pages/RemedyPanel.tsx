// The remedy side of a case: what the reporter agreed to, its deadlines, the caseworker's coding,
// the bodies that could act on it (suggested from its harm, country, deployer and urgency, with
// the deadline still open), referrals with their outcomes, and the printable referral pack.
import { useEffect, useState } from 'preact/hooks';
import type { TFunction } from 'i18next';
import type { ReportContent } from '../../../protocol/api.ts';
import type { Coding, PathwayView, Referral, RemedyPanel as Panel } from '../../../protocol/remedy-api.ts';
import { DEPLOYER_CLASSES, HARM_CATEGORY_IDS, REFERRAL_OUTCOMES, SYSTEM_TYPES } from '../../../protocol/taxonomy.ts';
import { api, errorText } from '../api.ts';
import { DeadlineLabel, isolate } from '../deadline-label.tsx';
import type { PackRequest } from './ReferralPack.tsx';

const todayDay = () => new Date().toISOString().slice(0, 10);

interface Props {
  t: TFunction; caseId: string; content: ReportContent | null;
  /** Called after a change that moves the case (a referral), so the case view reloads. */
  onChanged: () => void;
  /** Opens the printable pack for a referral (in place of the case view). */
  onPack: (request: PackRequest) => void;
}

export function RemedyPanel({ t, caseId, content, onChanged, onPack }: Props) {
  const [panel, setPanel] = useState<Panel | null>(null);
  const [coding, setCoding] = useState<Coding | null>(null);
  const [all, setAll] = useState<PathwayView[] | null>(null);
  const [form, setForm] = useState({ pathwayId: '', sentOn: todayDay(), bodyReference: '', followUpOn: '', share: false });
  const [notice, setNotice] = useState('');
  const [error, setError] = useState('');

  const load = async () => {
    const found = await api<Panel>('GET', `/api/cases/${caseId}/remedy`);
    setPanel(found);
    setCoding(found.coding);
  };
  useEffect(() => { load().catch((err) => setError(errorText(err))); }, [caseId]);

  async function act(fn: () => Promise<unknown>, done?: string) {
    setError(''); setNotice('');
    try { await fn(); await load(); if (done) setNotice(done); } catch (err) { setError(errorText(err)); }
  }
  const chooseBody = (pathwayId: string) => {
    setForm({ ...form, pathwayId });
    if (!all) void api<PathwayView[]>('GET', '/api/pathways').then(setAll);
    document.getElementById('refer')?.setAttribute('open', '');
    document.getElementById('refer-pathway')?.focus();
  };

  if (!panel || !coding) return <p>{error || t('desk:working')}</p>;
  const yesNo = (v: boolean) => (v ? t('desk:yes') : t('desk:no'));
  const codingSelect = <K extends keyof Coding>(key: K, values: readonly string[], name: (v: string) => string) => (
    <div>
      <label for={`coding-${key}`}>{t(`desk:remedy.coding.${key}`)}</label>
      <select id={`coding-${key}`} value={coding[key] ?? ''} onChange={(e) => setCoding({ ...coding, [key]: e.currentTarget.value || null })}>
        <option value="">{t('desk:remedy.coding.none')}</option>
        {values.map((v) => <option key={v} value={v}>{name(v)}</option>)}
      </select>
    </div>
  );
  const suggested = new Set(panel.suggestions.map((s) => s.pathwayId));

  return (
    <section class="remedy" aria-labelledby="remedy-title">
      <h2 id="remedy-title">{t('desk:remedy.panel.title')}</h2>
      {error && <p class="error" role="alert">{error}</p>}
      <div aria-live="polite">{notice && <p class="status">{notice}</p>}</div>
      <dl class="fields">
        <div><dt>{t('desk:remedy.panel.referralConsent')}</dt><dd class={panel.consent.referral ? '' : 'no'}>{yesNo(panel.consent.referral)}</dd></div>
        <div><dt>{t('desk:remedy.panel.shareConsent')}</dt><dd class={panel.consent.shareData ? '' : 'no'}>{yesNo(panel.consent.shareData)}</dd></div>
      </dl>
      <h3>{t('desk:remedy.panel.deadlines')}</h3>
      {panel.timers.length === 0 ? <p>{t('desk:remedy.panel.noDeadlines')}</p>
        : <ul class="timers">{panel.timers.map((timer) => <li key={timer.kind}><DeadlineLabel t={t} timer={timer} /></li>)}</ul>}
      {panel.repliesOpenUntil && <p class="hint">{t('desk:remedy.panel.repliesOpenUntil', { day: isolate(panel.repliesOpenUntil) })}</p>}

      <h3>{t('desk:remedy.coding.title')}</h3>
      <form class="coding" onSubmit={(e) => { e.preventDefault(); void act(() => api('PUT', `/api/cases/${caseId}/coding`, coding), t('desk:remedy.coding.saved')); }}>
        <p class="hint">{t('desk:remedy.coding.hint')}</p>
        <div class="filters">
          {codingSelect('codedCategory', HARM_CATEGORY_IDS, (v) => t(`taxonomy:category.${v}`))}
          {codingSelect('codedSystemType', SYSTEM_TYPES, (v) => t(`taxonomy:systemType.${v}`))}
          {codingSelect('deployerClass', DEPLOYER_CLASSES, (v) => t(`desk:remedy.deployer.${v}`))}
          {panel.deployments.length > 0 && codingSelect('deploymentId', panel.deployments.map((d) => d.id), (v) => panel.deployments.find((d) => d.id === v)!.systemName)}
        </div>
        <button type="submit">{t('desk:remedy.coding.save')}</button>
      </form>

      <h3>{t('desk:remedy.referrals.title')}</h3>
      {panel.referrals.length === 0 && <p>{t('desk:remedy.referrals.empty')}</p>}
      <ul class="referrals">
        {panel.referrals.map((r) => <ReferralItem key={r.id} t={t} referral={r} canPack={content !== null}
          onPack={() => onPack({ referral: r, reference: panel.reference, coding, shareData: panel.consent.shareData && r.sharedPersonalData })}
          onSave={(edit) => act(() => api('PUT', `/api/cases/${caseId}/referrals/${r.id}`, edit), t('desk:remedy.referrals.saved'))} />)}
      </ul>

      <h3>{t('desk:remedy.suggestions.title')}</h3>
      <p class="hint">{t('desk:remedy.suggestions.hint')}</p>
      {panel.suggestions.length === 0 && <p>{t('desk:remedy.suggestions.empty')}</p>}
      <ol class="suggestions">
        {panel.suggestions.map((s) => (
          <li key={s.pathwayId}>
            <strong lang="en" dir="auto">{s.name}</strong> <span class="meta">· {t(`desk:remedy.kind.${s.kind}`)}</span>
            <br /><span class="meta">{s.reasons.map((r) => t(`desk:remedy.suggestions.reason.${r}`)).join(' · ')}</span>
            <br /><span class={`deadline ${s.deadline.state}`}>{t(`desk:remedy.suggestions.deadline.${s.deadline.state}`, { day: isolate(s.deadline.closesOn ?? '') })}</span>
            {' · '}{t(`desk:remedy.lawyer.${s.lawyerNeeded}`)}
            {panel.consent.referral && <> <button type="button" class="link" onClick={() => chooseBody(s.pathwayId)}>{t('desk:remedy.suggestions.refer')}</button></>}
          </li>
        ))}
      </ol>

      {!panel.consent.referral ? <p class="warning">{t('desk:remedy.refer.noConsent')}</p> : (
        <details id="refer" onToggle={(e) => { if (e.currentTarget.open && !all) void api<PathwayView[]>('GET', '/api/pathways').then(setAll); }}>
          <summary>{t('desk:remedy.refer.title')}</summary>
          <form class="card" onSubmit={(e) => {
            e.preventDefault();
            void act(async () => {
              await api('POST', `/api/cases/${caseId}/referrals`, {
                pathwayId: form.pathwayId, sentOn: form.sentOn, sharePersonalData: form.share,
                ...(form.bodyReference.trim() ? { bodyReference: form.bodyReference.trim() } : {}), ...(form.followUpOn ? { followUpOn: form.followUpOn } : {}),
              });
              setForm({ pathwayId: '', sentOn: todayDay(), bodyReference: '', followUpOn: '', share: false });
              onChanged();
            }, t('desk:remedy.refer.done'));
          }}>
            <label for="refer-pathway">{t('desk:remedy.refer.pathway')}</label>
            <select id="refer-pathway" required value={form.pathwayId} onChange={(e) => setForm({ ...form, pathwayId: e.currentTarget.value })}>
              <option value="">—</option>
              <optgroup label={t('desk:remedy.suggestions.title')}>
                {panel.suggestions.map((s) => <option key={s.pathwayId} value={s.pathwayId}>{s.name}</option>)}
              </optgroup>
              {all && <optgroup label={t('desk:remedy.refer.allBodies')}>
                {all.filter((p) => !p.retiredAt && !suggested.has(p.id)).map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
              </optgroup>}
            </select>
            <label for="refer-sent">{t('desk:remedy.refer.sentOn')}</label>
            <input id="refer-sent" type="date" required max={todayDay()} value={form.sentOn} onInput={(e) => setForm({ ...form, sentOn: e.currentTarget.value })} />
            <label for="refer-reference">{t('desk:remedy.refer.bodyReference')}</label>
            <input id="refer-reference" dir="ltr" maxLength={100} value={form.bodyReference} onInput={(e) => setForm({ ...form, bodyReference: e.currentTarget.value })} />
            <label for="refer-follow-up">{t('desk:remedy.refer.followUpOn')}</label>
            <input id="refer-follow-up" type="date" min={todayDay()} value={form.followUpOn} onInput={(e) => setForm({ ...form, followUpOn: e.currentTarget.value })} />
            <label class="check"><input type="checkbox" checked={form.share} disabled={!panel.consent.shareData}
              onChange={(e) => setForm({ ...form, share: e.currentTarget.checked })} /> {t('desk:remedy.refer.sharePersonalData')}</label>
            {!panel.consent.shareData && <p class="warning">{t('desk:remedy.refer.shareNotAllowed')}</p>}
            <p class="hint">{t('desk:remedy.refer.statusNote')}</p>
            <button type="submit" class="primary">{t('desk:remedy.refer.submit')}</button>
          </form>
        </details>
      )}
    </section>
  );
}

function ReferralItem({ t, referral: r, canPack, onPack, onSave }: {
  t: TFunction; referral: Referral; canPack: boolean; onPack: () => void; onSave: (edit: object) => Promise<void>;
}) {
  const [edit, setEdit] = useState({ bodyReference: r.bodyReference ?? '', followUpOn: r.followUpOn ?? '', outcome: r.outcome ?? '', outcomeOn: r.outcomeOn ?? '' });
  const id = (name: string) => `referral-${r.id}-${name}`;
  return (
    <li class="card">
      <strong lang="en" dir="auto">{r.pathwayName}</strong>
      <p class="meta">
        {t('desk:remedy.referrals.sentOn', { day: isolate(r.sentOn) })} · {r.sharedPersonalData ? t('desk:remedy.referrals.personalData') : t('desk:remedy.referrals.noPersonalData')}
        {' · '}{r.outcome ? t(`desk:remedy.outcome.${r.outcome}`) : t('desk:remedy.referrals.awaiting')}
      </p>
      <form class="filters" onSubmit={(e) => {
        e.preventDefault();
        void onSave({ bodyReference: edit.bodyReference.trim() || null, followUpOn: edit.followUpOn || null, outcome: edit.outcome || null, outcomeOn: edit.outcome ? edit.outcomeOn || null : null });
      }}>
        <div><label for={id('reference')}>{t('desk:remedy.refer.bodyReference')}</label>
          <input id={id('reference')} dir="ltr" maxLength={100} value={edit.bodyReference} onInput={(e) => setEdit({ ...edit, bodyReference: e.currentTarget.value })} /></div>
        <div><label for={id('follow-up')}>{t('desk:remedy.refer.followUpOn')}</label>
          <input id={id('follow-up')} type="date" value={edit.followUpOn} onInput={(e) => setEdit({ ...edit, followUpOn: e.currentTarget.value })} /></div>
        <div><label for={id('outcome')}>{t('desk:remedy.referrals.outcome')}</label>
          <select id={id('outcome')} value={edit.outcome} onChange={(e) => setEdit({ ...edit, outcome: e.currentTarget.value })}>
            <option value="">{t('desk:remedy.referrals.awaiting')}</option>
            {REFERRAL_OUTCOMES.map((o) => <option key={o} value={o}>{t(`desk:remedy.outcome.${o}`)}</option>)}
          </select></div>
        <div><label for={id('outcome-on')}>{t('desk:remedy.referrals.outcomeOn')}</label>
          <input id={id('outcome-on')} type="date" max={todayDay()} disabled={!edit.outcome} value={edit.outcomeOn} onInput={(e) => setEdit({ ...edit, outcomeOn: e.currentTarget.value })} /></div>
        <div><button type="submit">{t('desk:remedy.save')}</button>{' '}
          <button type="button" disabled={!canPack} onClick={onPack}>{t('desk:remedy.referrals.pack')}</button></div>
      </form>
    </li>
  );
}
