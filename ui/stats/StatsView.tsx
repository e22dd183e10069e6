// The statistics of a publication for one country and quarter, as charts with their tables: the
// same view in the desk and on the public page (server-rendered there, no script needed).
import type { Publication } from '../../protocol/stats-api.ts';
import type { Translate } from '../i18n/index.ts';
import { countryNames } from '../i18n/index.ts';
import { BarChart } from './BarChart.tsx';
import { daysOf, hidden, lineOf, reportsByCountry, reportsOverTime } from './figures.ts';

interface Props { p: Publication; country: string; quarter: string; t: Translate; lang: string; dir: 'ltr' | 'rtl' }

export const countryLabel = (t: Translate, lang: string) => {
  const names = countryNames(lang);
  return (code: string) => (code === 'unknown' ? t('accountability:labels.unknownCountry') : names(code));
};

export function StatsView({ p, country, quarter, t, lang, dir }: Props) {
  const name = countryLabel(t, lang);
  const where = { country: name(country), quarter };
  const count = t('accountability:stats.count');
  const line = (id: Parameters<typeof lineOf>[1], dimension: Parameters<typeof lineOf>[2], labels: string, title: string) => {
    const values = lineOf(p, id, dimension, country, quarter);
    if (values === 'absent') return <p class="hint">{t('accountability:stats.notListed', { ...where, k: p.k })}</p>;
    if (values === 'withheld') return <p class="hint">{t('accountability:stats.withheld', where)}</p>;
    return <BarChart title={title} dir={dir} valueHeader={count} empty="" bars={values.map((v) => ({ label: t(`accountability:labels.${labels}.${v.id}`), value: v.value }))} />;
  };
  const outcomeDays = daysOf(p, 'days_to_outcome_by_country_quarter', country, quarter);
  const ackDays = daysOf(p, 'days_to_acknowledgement_by_country_quarter', country, quarter);
  return (
    <div class="stats">
      <BarChart title={t('accountability:stats.byCountry', { quarter })} dir={dir} valueHeader={count} empty={t('accountability:stats.noCountry', { k: p.k })}
        bars={reportsByCountry(p, quarter).map((r) => ({ label: name(r.country), value: r.value }))} />
      <BarChart title={t('accountability:stats.overTime', where)} dir={dir} valueHeader={count} empty={t('accountability:stats.noCountry', { k: p.k })}
        bars={reportsOverTime(p, country).map((r) => ({ label: r.quarter, value: r.value }))} />
      {line('harm_by_country_quarter', 'harm_category', 'harm', t('accountability:stats.byHarm', where))}
      {line('system_by_country_quarter', 'system_type', 'system', t('accountability:stats.bySystem', where))}
      {line('deployer_by_country_quarter', 'deployer_class', 'deployer', t('accountability:stats.byDeployer', where))}
      {lineOf(p, 'outcomes_by_country_quarter', 'outcome', country, quarter) === 'absent'
        ? <p class="hint">{t('accountability:stats.noOutcomes', { ...where, k: p.k })}</p>
        : line('outcomes_by_country_quarter', 'outcome', 'outcome', t('accountability:stats.outcomes', where))}
      <table class="figures days">
        <caption>{t('accountability:stats.daysTitle', where)}</caption>
        <thead><tr><th scope="col"><span class="visually-hidden">{t('accountability:stats.measure')}</span></th><th scope="col">{t('accountability:stats.cases')}</th><th scope="col">{t('accountability:stats.median')}</th></tr></thead>
        <tbody>
          {([['ack', ackDays], ['outcome', outcomeDays]] as const).map(([key, row]) => (
            <tr key={key}><th scope="row">{t(`accountability:stats.days.${key}`)}</th><td>{row ? String(row.count) : hidden(p)}</td><td>{row?.median_days ?? '—'}</td></tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The tables not tied to a country: referrals by kind of body, yearly sensitive totals, register counts. */
export function OtherTables({ p, quarter, t, lang }: { p: Publication; quarter: string; t: Translate; lang: string }) {
  const name = countryLabel(t, lang);
  const referrals = p.tables.find((x) => x.id === 'referrals_by_pathway_kind_quarter')?.rows.filter((r) => r.quarter === quarter) ?? [];
  const sensitive = p.tables.find((x) => x.id === 'sensitive_by_country_year')?.rows ?? [];
  const kinds = [...new Set(referrals.map((r) => r.pathway_kind!))];
  const events = [...new Set(referrals.map((r) => r.referral_event!))];
  return (
    <div class="stats">
      <h2>{t('accountability:stats.referrals', { quarter })}</h2>
      {referrals.length ? (
        <div class="scroll" tabIndex={0} role="region" aria-label={t('accountability:stats.referrals', { quarter })}><table class="figures">
          <thead><tr><th scope="col">{t('accountability:stats.pathwayKind')}</th>{events.map((e) => <th scope="col" key={e}>{t(`accountability:labels.referralEvent.${e}`)}</th>)}</tr></thead>
          <tbody>{kinds.map((kind) => (
            <tr key={kind}><th scope="row">{t(`accountability:labels.pathwayKind.${kind}`)}</th>
              {events.map((e) => <td key={e}>{String(referrals.find((r) => r.pathway_kind === kind && r.referral_event === e)?.count ?? hidden(p))}</td>)}</tr>
          ))}</tbody>
        </table></div>
      ) : <p class="hint">{t('accountability:stats.noReferrals', { k: p.k })}</p>}
      <h2>{t('accountability:stats.sensitive')}</h2>
      {sensitive.length ? (
        <table class="figures">
          <thead><tr><th scope="col">{t('accountability:stats.country')}</th><th scope="col">{t('accountability:stats.year')}</th><th scope="col">{t('accountability:labels.sensitive.sexual_exploitation')}</th><th scope="col">{t('accountability:labels.sensitive.child')}</th></tr></thead>
          <tbody>{[...new Set(sensitive.map((r) => `${r.country}|${r.year}`))].map((key) => {
            const [c, y] = key.split('|');
            const cell = (g: string) => String(sensitive.find((r) => r.country === c && r.year === y && r.sensitive_group === g)?.count ?? hidden(p));
            return <tr key={key}><th scope="row">{name(c!)}</th><td>{y}</td><td>{cell('sexual_exploitation')}</td><td>{cell('child')}</td></tr>;
          })}</tbody>
        </table>
      ) : <p class="hint">{t('accountability:stats.noSensitive', { k: p.k })}</p>}
    </div>
  );
}
