// The public form as a stepped app: one question group per screen, a review, sealing in the
// browser, and the receipt. Language can change at any point without losing what was typed.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiError, ReportBoot } from '../../protocol/api.ts';
import type { Translate } from '../../ui/i18n/index.ts';
import { createTranslate } from '../../ui/i18n/translate.ts';
import { switchLanguage } from './language.ts';
import { STEPS, validateForm, type FieldName, type FormErrors, type ReportForm } from '../../protocol/report-form.ts';
import { STEP_COMPONENTS, type FieldKit } from '../../ui/report/Fields.tsx';
import { Layout, PrivacyNote, isLeavingQuickly } from '../../ui/report/Layout.tsx';
import { ConfirmedNote, ReceiptNumber } from '../../ui/report/Receipt.tsx';
import { confirmsReceipt } from '../../protocol/receipt.ts';
import { Review } from '../../ui/report/Review.tsx';
import type { SealedSubmission } from '../../protocol/seal-report.ts';

/** What the server put in the page for this app (protocol/api.ts). */
export type Boot = ReportBoot;

type Phase =
  | { name: 'form' }
  | { name: 'sending' }
  | { name: 'offline'; sealed: SealedSubmission }
  | { name: 'failed'; message: string }
  | { name: 'receipt'; receipt: string; confirmed: boolean };

const REVIEW = STEPS.length;

/**
 * Brings the first question with an error into view, its question and error text at the top of the
 * screen, and moves focus to its first input (after the error has rendered).
 */
function showFirstError(name: string) {
  requestAnimationFrame(() => {
    const input = document.getElementById(name);
    input?.closest('fieldset, .field')?.scrollIntoView({ block: 'start' });
    input?.focus({ preventScroll: true });
  });
}

async function post(sealed: SealedSubmission, lang: string): Promise<Response> {
  return fetch(`/api/reports?lang=${lang}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(sealed.body),
  });
}

export function App({ boot, initialForm }: { boot: Boot; initialForm: ReportForm }) {
  const [lang, setLang] = useState<string>(boot.lang);
  const [t, setT] = useState<Translate>(() => createTranslate(boot.resources));
  const [form, setForm] = useState(initialForm);
  const [step, setStep] = useState(0);
  const [errors, setErrors] = useState<FormErrors>({});
  const [phase, setPhase] = useState<Phase>({ name: 'form' });
  const [typed, setTyped] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  // Move focus to the new screen's heading so screen readers announce it.
  useEffect(() => { heading.current?.focus(); }, [step, phase.name]);

  // Until the receipt is confirmed, closing the page asks first (quick exit still leaves at once).
  useEffect(() => {
    if (phase.name !== 'receipt' || phase.confirmed) return;
    const warn = (e: BeforeUnloadEvent) => {
      if (isLeavingQuickly()) return;
      e.preventDefault();
      e.returnValue = t('receipt.leaveWarning');
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [phase, t]);

  // An encrypted report that could not leave waits here and goes as soon as the network is back.
  useEffect(() => {
    if (phase.name !== 'offline') return;
    const retry = () => void send(phase.sealed);
    window.addEventListener('online', retry);
    return () => window.removeEventListener('online', retry);
  }, [phase]);

  async function changeLanguage(code: string) {
    if (code === lang) return;
    const next = await switchLanguage(code, boot.localeUrls);
    setT(() => next);
    setLang(code);
  }

  const set = (name: FieldName, value: string | boolean) => {
    setForm((prev) => ({ ...prev, [name]: value }));
    if (errors[name]) setErrors((prev) => ({ ...prev, [name]: undefined }));
  };

  function next() {
    const found = validateForm(form, STEPS[step]!.fields);
    setErrors(found);
    if (Object.keys(found).length === 0) setStep(step + 1);
    else showFirstError(Object.keys(found)[0]!);
  }

  async function send(existing?: SealedSubmission) {
    const all = validateForm(form);
    if (!existing && Object.keys(all).length > 0) {
      setErrors(all);
      setStep(STEPS.findIndex((s) => s.fields.some((name) => all[name as FieldName])));
      showFirstError(Object.keys(all)[0]!);
      return;
    }
    setPhase({ name: 'sending' });
    let sealed = existing;
    try {
      // Sealing code and libsodium are a separate chunk, normally prefetched while the person types.
      const { sealSubmission } = await import('../../protocol/seal-report.ts');
      sealed ??= await sealSubmission(form, lang, boot.intake);
    } catch {
      setPhase({ name: 'failed', message: '' });
      return;
    }
    let response: Response;
    try {
      response = await post(sealed, lang);
    } catch {
      setPhase({ name: 'offline', sealed });
      return;
    }
    if (response.ok) {
      setPhase({ name: 'receipt', receipt: sealed.receipt, confirmed: false });
      return;
    }
    const problem = (await response.json().catch(() => null)) as ApiError | null;
    setPhase({ name: 'failed', message: problem?.message ?? '' });
  }

  function confirm(e: Event) {
    e.preventDefault();
    if (phase.name !== 'receipt') return;
    const ok = confirmsReceipt(typed, phase.receipt);
    setMismatch(!ok);
    if (ok) setPhase({ ...phase, confirmed: true });
  }

  const f: FieldKit = { form, set, errors, t, lang };
  const layout = { t, lang, quickExitUrl: boot.quickExitUrl, path: '/', onLanguage: (c: string) => void changeLanguage(c) };

  if (phase.name === 'receipt') {
    return (
      <Layout {...layout}>
        <h1 tabIndex={-1} ref={heading}>{t('receipt.title')}</h1>
        <ReceiptNumber t={t} lang={lang} receipt={phase.receipt} />
        {phase.confirmed ? <ConfirmedNote t={t} lang={lang} /> : (
          <form onSubmit={confirm} class="confirm" noValidate>
            <label for="last4">{t('receipt.confirm')}</label>
            {mismatch && <p id="last4-error" class="error" role="alert">{t('receipt.mismatch')}</p>}
            <input id="last4" name="last4" inputMode="numeric" autoComplete="off" maxLength={8} dir="ltr"
              value={typed} aria-invalid={mismatch ? 'true' : undefined} aria-describedby={mismatch ? 'last4-error' : undefined}
              onInput={(e) => setTyped(e.currentTarget.value)} />
            <button type="submit" class="primary">{t('receipt.confirmButton')}</button>
          </form>
        )}
      </Layout>
    );
  }

  const Step = step < REVIEW ? STEP_COMPONENTS[STEPS[step]!.id] : undefined;
  const title = step < REVIEW ? t(`${STEPS[step]!.id}.title`) : t('review.title');
  return (
    <Layout {...layout}>
      <p class="progress">{t('steps.progress', { current: step + 1, total: REVIEW + 1 })}</p>
      <h1 tabIndex={-1} ref={heading}>{title}</h1>
      {step === 0 && <p class="tagline">{t('tagline')}</p>}
      <PrivacyNote t={t} />
      {Step ? (
        <form onSubmit={(e) => { e.preventDefault(); next(); }} noValidate>
          <Step f={f} />
          <div class="nav">
            {step > 0 && <button type="button" onClick={() => { setErrors({}); setStep(step - 1); }}>{t('steps.back')}</button>}
            <button type="submit" class="primary">{t('steps.next')}</button>
          </div>
        </form>
      ) : (
        <>
          <Review t={t} lang={lang} form={form} onEdit={(i) => setStep(i)} />
          <div aria-live="polite">
            {phase.name === 'sending' && <p class="status">{t('review.sending')}</p>}
            {phase.name === 'offline' && <p class="status">{t('review.offline')}</p>}
            {phase.name === 'failed' && <p class="error" role="alert">{t('review.failed')} {phase.message}</p>}
          </div>
          <div class="nav">
            <button type="button" onClick={() => setStep(step - 1)}>{t('steps.back')}</button>
            <button type="button" class="primary" disabled={phase.name === 'sending'}
              onClick={() => void send(phase.name === 'offline' ? phase.sealed : undefined)}>
              {phase.name === 'offline' || phase.name === 'failed' ? t('review.retry') : t('review.send')}
            </button>
          </div>
        </>
      )}
    </Layout>
  );
}
