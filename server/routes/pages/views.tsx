// Server-only page bodies: the "not open yet" notice and the no-JavaScript receipt screens.
import type { Translate } from '../../../ui/i18n/index.ts';
import { Layout } from '../../../ui/report/Layout.tsx';
import { ConfirmedNote, ReceiptNumber } from '../../../ui/report/Receipt.tsx';

interface Frame { t: Translate; lang: string; quickExitUrl: string }

export function NotOpen({ t, lang, quickExitUrl }: Frame) {
  return (
    <Layout t={t} lang={lang} quickExitUrl={quickExitUrl} path="/">
      <h1>{t('notOpen.title')}</h1>
      <p class="notice">{t('notOpen.body')}</p>
    </Layout>
  );
}

export function ReceiptPage(props: Frame & { receipt: string; token: string; mismatch: boolean }) {
  const { t, lang, quickExitUrl, receipt, token, mismatch } = props;
  return (
    <Layout t={t} lang={lang} quickExitUrl={quickExitUrl} path="/">
      <h1>{t('receipt.title')}</h1>
      <ReceiptNumber t={t} lang={lang} receipt={receipt} />
      <form method="post" action={`/report/confirm?lang=${lang}`} enctype="multipart/form-data" class="confirm">
        <input type="hidden" name="token" value={token} />
        <label for="last4">{t('receipt.confirm')}</label>
        {mismatch && <p id="last4-error" class="error" role="alert">{t('receipt.mismatch')}</p>}
        <input id="last4" name="last4" inputMode="numeric" autoComplete="off" maxLength={8} dir="ltr"
          aria-invalid={mismatch ? 'true' : undefined} aria-describedby={mismatch ? 'last4-error' : undefined} />
        <button type="submit" class="primary">{t('receipt.confirmButton')}</button>
      </form>
    </Layout>
  );
}

export function ConfirmedPage({ t, lang, quickExitUrl }: Frame) {
  return (
    <Layout t={t} lang={lang} quickExitUrl={quickExitUrl} path="/">
      <h1>{t('receipt.title')}</h1>
      <ConfirmedNote t={t} lang={lang} />
    </Layout>
  );
}

export function ExpiredPage({ t, lang, quickExitUrl }: Frame) {
  return (
    <Layout t={t} lang={lang} quickExitUrl={quickExitUrl} path="/">
      <h1>{t('errors:form_expired')}</h1>
      <p><a href={`/?lang=${lang}`}>{t('title')}</a></p>
    </Layout>
  );
}
