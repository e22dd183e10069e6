// One register entry: the six questions at a glance, what the cases show (disclosure-controlled),
// and the details with their sources in a <details> that opens without script. Rendered on the
// public page by the server and in the desk by the browser. Entries are written in English.
import type { ComponentChildren } from 'preact';
import { QUESTIONS, isUnverified, type DeploymentView } from '../../protocol/register-api.ts';
import type { Translate } from '../i18n/index.ts';
import { countryLabel } from '../stats/StatsView.tsx';

const TONE: Record<string, 'yes' | 'no' | 'unknown'> = {
  use_documented: 'unknown', use_not_documented: 'unknown', documented: 'yes', none_identified: 'no', independent: 'yes',
  not_independent: 'no', unknown: 'unknown', published_audited: 'yes', published_not_audited: 'unknown', not_published: 'no',
  linked: 'yes', none_documented: 'no', published: 'yes',
};

export function DeploymentCard({ view, t, lang, level = 3, children }: { view: DeploymentView; t: Translate; lang: string; level?: 2 | 3; children?: ComponentChildren }) {
  const { entry, glance } = view;
  const name = countryLabel(t, lang);
  const r = (key: string, vars?: Record<string, unknown>) => t(`accountability:register.${key}`, vars);
  const field = (label: string, value: string | null) => (
    <><dt>{r(`fields.${label}`)}</dt><dd lang="en">{value ?? r('notDocumented')}</dd></>
  );
  return (
    <article class="deployment" id={`deployment-${view.id}`}>
      {level === 2 ? <h2 lang="en">{entry.systemName}</h2> : <h3 lang="en">{entry.systemName}</h3>}
      <p class="meta">
        {t(`accountability:labels.system.${entry.systemType}`)} · {t(`accountability:labels.deployer.${entry.deployerClass}`)}
        {entry.countries.length ? ` · ${entry.countries.length > 6 ? r('countries', { n: entry.countries.length }) : entry.countries.map(name).join(', ')}` : ''}
      </p>
      <p class="cases">{r('casesShow', { complaints: String(view.cases.complaints), remedies: String(view.cases.remedies) })}</p>
      <dl class="glance">
        {QUESTIONS.map((q) => (
          <div key={q} class="question">
            <dt>{r(`questions.${q}`)}</dt>
            <dd><span class={`answer ${TONE[glance[q]]}`}>{r(`answers.${q}.${glance[q]}`)}</span>
              {isUnverified(entry, q) && <span class="unverified"> {r('unverified')}</span>}</dd>
          </div>
        ))}
      </dl>
      <details>
        <summary>{r('details')}</summary>
        <dl class="fields">
          <dt>{r('fields.deployer')}</dt><dd lang="en">{entry.deployer}</dd>
          {field('statedPurpose', entry.statedPurpose)}
          {field('actualUse', entry.actualUse)}
          {field('legalBasis', entry.legalBasis)}
          {field('oversightBody', entry.oversightBody)}
          {field('errorRates', entry.errorRates.figures)}
          {field('auditedBy', entry.errorRates.auditedBy)}
          <dt>{r('fields.pathways')}</dt>
          <dd>{view.pathways.length ? view.pathways.map((p) => p.name ?? p.id).join(' · ') : r('notDocumented')}
            {entry.pathwayNote && <p lang="en">{entry.pathwayNote}</p>}</dd>
          <dt>{r('fields.fria')}</dt>
          <dd>{entry.fria.url ? <a href={entry.fria.url} rel="noreferrer">{r('answers.fria.published')}</a> : r(`answers.fria.${glance.fria}`)}</dd>
        </dl>
        <p class="sources-title">{r('sources')}</p>
        <ul class="sources">
          {entry.sources.map((s) => <li key={s.url}><a href={s.url} rel="noreferrer" lang="en">{s.title}</a>{s.date ? ` (${s.date})` : ''}</li>)}
        </ul>
        {entry.checked && <p class="meta">{r('checked', { date: entry.checked })}</p>}
      </details>
      {children}
    </article>
  );
}
