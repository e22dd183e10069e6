// The referral pack: a printable summary of the case for the body it is referred to, built here
// from the case this browser has already decrypted and printed with the browser's own dialog
// ("Save as PDF" gives a file). No server ever sees it. The labels are in the first language the
// body accepts that the desk has (else English); what the reporter wrote stays in their words.
// Without the reporter's consent to share personal data, their account and every personal field
// are left out: the pack holds the coarse facts and a summary the caseworker writes for it.
import { useEffect, useState } from 'preact/hooks';
import type { TFunction } from 'i18next';
import type { ReportClear, ReportContent } from '../../../protocol/api.ts';
import type { Coding, PathwayView, Referral } from '../../../protocol/remedy-api.ts';
import { LANGUAGES, languageDir } from '../../../protocol/taxonomy.ts';
import { countryNames } from '../../../ui/i18n/index.ts';
import { api } from '../api.ts';
import { deskTranslator, hasDeskLanguage } from '../locales.ts';

/** What the remedy panel hands over when a pack is asked for. */
export interface PackRequest { referral: Referral; reference: string; coding: Coding; shareData: boolean }

interface Props extends PackRequest {
  t: TFunction; lang: string; clear: ReportClear; content: ReportContent; onClose: () => void;
}

export function ReferralPack({ t, lang, referral, reference, clear, coding, content, shareData, onClose }: Props) {
  const [body, setBody] = useState<{ t: TFunction; code: string } | null>(null);
  const [summary, setSummary] = useState('');

  useEffect(() => {
    void (async () => {
      const pathway = (await api<PathwayView[]>('GET', '/api/pathways')).find((p) => p.id === referral.pathwayId);
      const code = pathway?.languages.find(hasDeskLanguage) ?? (hasDeskLanguage('en') ? 'en' : lang);
      setBody({ code, t: code === lang ? t : await deskTranslator(code) });
    })();
  }, [referral.id]);
  useEffect(() => { document.getElementById('pack-title')?.focus(); }, [body !== null]);

  if (!body) return <p>{t('desk:working')}</p>;
  const p = body.t;
  const k = (key: string, vars?: Record<string, unknown>) => p(`desk:remedy.pack.${key}`, vars);
  const yes = (v: boolean) => (v ? p('desk:yes') : p('desk:no'));
  const category = coding.codedCategory ?? clear.category;
  const systemType = coding.codedSystemType ?? clear.systemType;
  const line = (label: string, value: string, attrs: Record<string, string> = {}) => <tr><th scope="row">{label}</th><td {...attrs}>{value || '—'}</td></tr>;
  const language = LANGUAGES.find((l) => l.code === body.code);
  return (
    <section class="pack-view" aria-labelledby="pack-title">
      <div class="no-print pack-controls">
        <p>{t('desk:remedy.pack.languageNote', { language: language?.nativeName ?? body.code })}</p>
        {!shareData && (
          <>
            <label for="pack-summary">{t('desk:remedy.pack.summaryLabel')}</label>
            <p class="hint" id="pack-summary-hint">{t('desk:remedy.pack.summaryHint')}</p>
            <textarea id="pack-summary" rows={5} lang={body.code} dir="auto" aria-describedby="pack-summary-hint" value={summary} onInput={(e) => setSummary(e.currentTarget.value)} />
          </>
        )}
        <button type="button" class="primary" onClick={() => window.print()}>{t('desk:remedy.pack.print')}</button>{' '}
        <button type="button" onClick={onClose}>{t('desk:remedy.pack.close')}</button>
      </div>
      <article class="pack" lang={body.code} dir={languageDir(body.code)}>
        <h1 id="pack-title" tabIndex={-1}>{k('title')}</h1>
        <table class="pack-head">
          <tbody>
            {line(k('to'), referral.pathwayName, { lang: 'en', dir: 'auto' })}
            {line(k('reference'), reference, { dir: 'ltr' })}
            {line(k('date'), referral.sentOn, { dir: 'ltr' })}
            {referral.bodyReference && line(k('yourReference'), referral.bodyReference, { dir: 'ltr' })}
          </tbody>
        </table>
        <p>{k('consentReferral')} {shareData ? k('consentShare') : k('noShare')}</p>
        <h2>{k('facts')}</h2>
        <table>
          <tbody>
            {line(k('harm'), p(`taxonomy:category.${category}`))}
            {line(k('system'), p(`taxonomy:systemType.${systemType}`))}
            {coding.deployerClass && line(k('deployer'), p(`desk:remedy.deployer.${coding.deployerClass}`))}
            {line(k('country'), clear.country === 'unknown' ? p('desk:unknown') : countryNames(body.code)(clear.country))}
            {line(k('month'), clear.incidentMonth === 'unknown' ? p('desk:unknown') : clear.incidentMonth, { dir: 'ltr' })}
            {line(k('urgent'), yes(clear.urgent))}
            {line(k('child'), yes(clear.child))}
          </tbody>
        </table>
        {shareData ? (
          <>
            <h2>{k('account')}</h2>
            <p class="pack-narrative" lang={clear.language} dir="auto">{content.narrative}</p>
            <table>
              <tbody>
                {line(k('place'), content.place, { dir: 'auto', lang: clear.language })}
                {line(k('incidentDate'), content.date, { dir: 'auto', lang: clear.language })}
                {line(k('contact'), content.contact.method === 'none' ? k('noContact') : content.contact.value, { dir: 'auto' })}
              </tbody>
            </table>
          </>
        ) : (
          <>
            <h2>{k('summary')}</h2>
            <p class="pack-narrative" dir="auto">{summary || '—'}</p>
          </>
        )}
        <p class="pack-foot">{k('footer', { reference })}</p>
      </article>
    </section>
  );
}
