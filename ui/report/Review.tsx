// The review screen: every answer with its "who can see this" marker, and a way back to change it.
import type { Translate } from '../i18n/index.ts';
import { countryNames, monthName } from '../i18n/index.ts';
import { STEPS, incidentMonth, type ReportForm } from '../../protocol/report-form.ts';
import { Visibility } from './Layout.tsx';

interface Row { label: string; value: string; sealed: boolean }

function rowsFor(stepId: string, t: Translate, lang: string, form: ReportForm): Row[] {
  const none = t('review.notAnswered');
  switch (stepId) {
    case 'what': {
      const urgency = [form.imminentRisk && t('what.imminentRisk'), form.child && t('what.child')].filter(Boolean).join('; ');
      return [
        { label: t('what.category'), value: form.category ? t(`taxonomy:category.${form.category}`) : none, sealed: false },
        { label: t('what.systemType'), value: t(`taxonomy:systemType.${form.systemType}`), sealed: false },
        { label: t('what.urgency'), value: urgency || none, sealed: false },
      ];
    }
    case 'where': {
      const month = incidentMonth(form);
      const when = month === 'unknown' ? t('where.unknownYear')
        : month.length === 4 ? month : `${monthName(lang, Number(month.slice(5)))} ${month.slice(0, 4)}`;
      const country = form.country === 'unknown' ? t('where.countryUnknown') : form.country ? countryNames(lang)(form.country) : none;
      return [
        { label: t('where.country'), value: country, sealed: false },
        { label: t('where.when'), value: when, sealed: false },
      ];
    }
    case 'who':
      return [{ label: t('who.role'), value: form.role ? t(`who.${form.role}`) : none, sealed: false }];
    case 'story':
      return [
        { label: t('story.narrative'), value: form.narrative || none, sealed: true },
        { label: t('story.place'), value: form.place || none, sealed: true },
        { label: t('story.date'), value: form.date || none, sealed: true },
      ];
    case 'contact':
      return [{ label: t('contact.name'), value: form.name || none, sealed: true }, {
        label: t('contact.method'),
        value: form.contactMethod ? [t(`contact.${form.contactMethod}`), form.contactMethod === 'none' ? '' : form.contactValue].filter(Boolean).join(': ') : none,
        sealed: true,
      }];
    default:
      return [
        { label: t('consent.referral'), value: form.consentReferral ? t(`consent.${form.consentReferral}`) : none, sealed: false },
        { label: t('consent.shareData'), value: form.consentShareData ? t(`consent.${form.consentShareData}`) : none, sealed: false },
      ];
  }
}

export function Review({ t, lang, form, onEdit }: { t: Translate; lang: string; form: ReportForm; onEdit: (step: number) => void }) {
  return (
    <div class="review">
      <p>{t('review.intro')}</p>
      {STEPS.map((step, index) => (
        <section key={step.id} aria-labelledby={`r-${step.id}`}>
          <div class="review-head">
            <h2 id={`r-${step.id}`}>{t(`${step.id}.title`)}</h2>
            <button type="button" class="link" onClick={() => onEdit(index)} aria-describedby={`r-${step.id}`}>{t('steps.edit')}</button>
          </div>
          <dl>
            {rowsFor(step.id, t, lang, form).map((row) => (
              <div key={row.label}>
                <dt>{row.label} <Visibility t={t} sealed={row.sealed} /></dt>
                <dd dir="auto">{row.value}</dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
    </div>
  );
}
