// The whole form on one page, as plain HTML: the first paint for everyone, and the complete
// form for browsers without JavaScript (POST /report, sealed by the server on arrival).
import type { Translate } from '../i18n/index.ts';
import { STEPS, type FormErrors, type ReportForm } from '../../protocol/report-form.ts';
import { STEP_COMPONENTS, type FieldKit } from './Fields.tsx';
import { PrivacyNote } from './Layout.tsx';
import { serverSealedTexts } from './server-sealed.ts';

interface Props { t: Translate; lang: string; form: ReportForm; errors: FormErrors; formId: string }

export function PlainForm({ t: pageTexts, lang, form, errors, formId }: Props) {
  const t = serverSealedTexts(pageTexts);
  const f: FieldKit = { form, errors, t, lang, set: () => {} };
  const hasErrors = Object.keys(errors).length > 0;
  return (
    <form method="post" action={`/report?lang=${lang}`} enctype="multipart/form-data" class="plain-form" noValidate>
      <input type="hidden" name="lang" value={lang} />
      {/* Lets the server recognise this form sent twice (a reload of the receipt page). */}
      <input type="hidden" name="formId" value={formId} />
      {hasErrors && <p class="error summary" role="alert">{t('nojs.errorsTitle')}</p>}
      <PrivacyNote t={t} />
      {STEPS.map((step) => {
        const Step = STEP_COMPONENTS[step.id];
        return (
          <section key={step.id} aria-labelledby={`h-${step.id}`}>
            <h2 id={`h-${step.id}`}>{t(`${step.id}.title`)}</h2>
            <Step f={f} />
          </section>
        );
      })}
      <noscript><p class="hint">{t('nojs.serverSealed')}</p></noscript>
      <button type="submit" class="primary">{t('nojs.send')}</button>
    </form>
  );
}
