// The receipt: the reporter's only way back to their case. Shown in groups of four digits (and in
// the language's own digits), with a confirmation that it was saved before the page lets go.
import type { Translate } from '../i18n/index.ts';
import { formatReceipt } from '../../protocol/receipt.ts';
import { localDigits } from '../i18n/index.ts';

export function ReceiptNumber({ t, lang, receipt }: { t: Translate; lang: string; receipt: string }) {
  const grouped = formatReceipt(receipt);
  const native = localDigits(lang, grouped);
  return (
    <div class="receipt">
      <p class="receipt-label" id="receipt-label">{t('receipt.yourReceipt')}</p>
      {/* Laid out like a phone number: one left-to-right unit whatever the page's direction. The
          override matters for the second line: to the bidi algorithm Arabic-Indic digits are
          "Arabic numbers", and without it their groups would run right to left. */}
      <p class="receipt-number" dir="ltr" lang="en" aria-labelledby="receipt-label"><bdo dir="ltr">{grouped}</bdo></p>
      {native && (
        <>
          <p class="receipt-label">{t('receipt.inYourDigits')}</p>
          <p class="receipt-number native" dir="ltr"><bdo dir="ltr">{native}</bdo></p>
        </>
      )}
      <p class="warning" role="note">{t('receipt.warning')}</p>
    </div>
  );
}

export function ConfirmedNote({ t, lang }: { t: Translate; lang: string }) {
  return (
    <div class="confirmed" role="status">
      <p>{t('receipt.done')}</p>
      <p>{t('receipt.nextSteps')}</p>
      <p><a href={`/follow-up?lang=${lang}`}>{t('followUpLink')}</a></p>
    </div>
  );
}
