// Statistics at the desk (analysts and admins): the disclosure-controlled tables as charts with
// their tables, for a chosen country and quarter; exports; and, for admins, the public page's switch.
import { useEffect, useState } from 'preact/hooks';
import type { TFunction } from 'i18next';
import type { Me } from '../../../protocol/desk-api.ts';
import type { Publication, StatsSettings } from '../../../protocol/stats-api.ts';
import { languageDir } from '../../../protocol/taxonomy.ts';
import { OtherTables, StatsView, countryLabel } from '../../../ui/stats/StatsView.tsx';
import { countriesOf, latestListed } from '../../../ui/stats/figures.ts';
import { api, errorText } from '../api.ts';

export function Statistics({ t, lang, me }: { t: TFunction; lang: string; me: Me }) {
  const [publication, setPublication] = useState<Publication | null>(null);
  const [settings, setSettings] = useState<StatsSettings | null>(null);
  const [country, setCountry] = useState('');
  const [quarter, setQuarter] = useState('');
  const [error, setError] = useState('');
  const s = (key: string, vars?: Record<string, unknown>) => t(`accountability:stats.${key}`, vars);

  useEffect(() => {
    Promise.all([api<Publication>('GET', '/api/stats'), api<StatsSettings>('GET', '/api/stats/settings')]).then(([p, found]) => {
      setPublication(p);
      setSettings(found);
      setCountry(countriesOf(p)[0] ?? '');
      setQuarter(latestListed(p) ?? '');
    }).catch((err) => setError(errorText(err)));
  }, []);

  async function togglePublic() {
    setError('');
    try { setSettings(await api<StatsSettings>('PUT', '/api/stats/settings', { publicPage: !settings!.publicPage })); } catch (err) { setError(errorText(err)); }
  }

  if (error) return <p class="error" role="alert">{error}</p>;
  if (!publication || !settings) return <p>{t('desk:working')}</p>;
  const countries = countriesOf(publication);
  const name = countryLabel(t, lang);
  return (
    <section class="statistics">
      <h1>{s('title')}</h1>
      <p>{s('intro', { k: publication.k })}</p>
      <p class="meta">{s('nextRelease', { quarter: settings.nextRelease.quarter, date: settings.nextRelease.on })}</p>
      <p>
        {s('export')}:{' '}
        {(['csv', 'hxl', 'json'] as const).map((format) => (
          <a key={format} class="button" href={`/api/stats/export?format=${format}`} download>{t(`accountability:page.${format}`)}</a>
        ))}
      </p>
      {me.role === 'admin' && (
        <div class="card">
          <h2>{s('publicPage')}</h2>
          <p>{settings.publicPage ? s('publicPageOn') : s('publicPageOff')}</p>
          <button type="button" class={settings.publicPage ? '' : 'primary'} onClick={() => void togglePublic()}>
            {settings.publicPage ? s('turnOff') : s('turnOn')}
          </button>
          {settings.publicPage && <p><a href="/accountability" target="_blank" rel="noreferrer">/accountability</a></p>}
        </div>
      )}
      {!country || !quarter ? <p class="notice">{s('noData', { days: publication.embargoDays })}</p> : (
        <>
          <div class="filters">
            <label class="filter">{s('country')}
              <select value={country} onChange={(e) => setCountry(e.currentTarget.value)}>
                {countries.map((c) => <option key={c} value={c}>{name(c)}</option>)}
              </select>
            </label>
            <label class="filter">{s('quarter')}
              <select value={quarter} dir="ltr" onChange={(e) => setQuarter(e.currentTarget.value)}>
                {[...publication.quarters].reverse().map((q) => <option key={q} value={q}>{q}</option>)}
              </select>
            </label>
          </div>
          <StatsView p={publication} country={country} quarter={quarter} t={t} lang={lang} dir={languageDir(lang)} />
          <OtherTables p={publication} quarter={quarter} t={t} lang={lang} />
        </>
      )}
    </section>
  );
}
