// The public accountability page: the date of the data, the downloads, the method in plain words,
// the statistics for a chosen country and quarter (a plain GET form, no script), and the register.
import type { Publication } from '../../../protocol/stats-api.ts';
import type { RegisterView } from '../../../protocol/register-api.ts';
import { languageDir } from '../../../protocol/taxonomy.ts';
import type { Translate } from '../../../ui/i18n/index.ts';
import { Layout } from '../../../ui/report/Layout.tsx';
import { DeploymentCard } from '../../../ui/register/DeploymentCard.tsx';
import { OtherTables, StatsView, countryLabel } from '../../../ui/stats/StatsView.tsx';

interface Props {
  t: Translate; lang: string; quickExitUrl: string;
  publication: Publication; register: RegisterView; country: string | null; quarter: string | null; countries: string[];
}

export function AccountabilityPage({ t, lang, quickExitUrl, publication: p, register, country, quarter, countries }: Props) {
  const a = (key: string, vars?: Record<string, unknown>) => t(`accountability:page.${key}`, vars);
  const name = countryLabel(t, lang);
  const latest = p.quarters.at(-1);
  return (
    <Layout t={t} lang={lang} quickExitUrl={quickExitUrl} path="/accountability">
      <h1>{a('title')}</h1>
      <p>{a('intro', { organisation: p.organisation })}</p>
      <p class="meta">{latest ? a('dataDate', { date: p.asOf, quarter: latest }) : a('noData', { days: p.embargoDays })}</p>
      <h2>{a('downloads')}</h2>
      <ul class="downloads">
        <li><a href="/accountability/statistics.csv" download>{a('csv')}</a></li>
        <li><a href="/accountability/statistics-hxl.csv" download>{a('hxl')}</a></li>
        <li><a href="/accountability/statistics.json" download>{a('json')}</a></li>
      </ul>
      <details class="privacy">
        <summary>{a('methodTitle')}</summary>
        <ul class="method">
          {['method1', 'method2', 'method3', 'method4', 'method5'].map((key) => <li key={key}>{a(key, { k: p.k, days: p.embargoDays })}</li>)}
        </ul>
      </details>
      {country && quarter && (
        <section>
          <h2>{a('statsTitle')}</h2>
          <form method="get" action="/accountability" class="choose">
            <input type="hidden" name="lang" value={lang} />
            <div class="field">
              <label for="country">{t('accountability:stats.country')}</label>
              <select id="country" name="country">
                {countries.map((c) => <option key={c} value={c} selected={c === country}>{name(c)}</option>)}
              </select>
            </div>
            <div class="field">
              <label for="quarter">{t('accountability:stats.quarter')}</label>
              <select id="quarter" name="quarter" dir="ltr">
                {[...p.quarters].reverse().map((q) => <option key={q} value={q} selected={q === quarter}>{q}</option>)}
              </select>
            </div>
            <button type="submit">{a('show')}</button>
          </form>
          <StatsView p={p} country={country} quarter={quarter} t={t} lang={lang} dir={languageDir(lang)} />
          <OtherTables p={p} quarter={quarter} t={t} lang={lang} />
        </section>
      )}
      <section>
        <h2>{a('registerTitle')}</h2>
        <p>{a('registerIntro', { k: register.k })}</p>
        {register.entries.map((view) => <DeploymentCard key={view.id} view={view} t={t} lang={lang} />)}
      </section>
    </Layout>
  );
}
