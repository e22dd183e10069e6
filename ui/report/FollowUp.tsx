// The follow-up page's first screen: where the receipt number is typed. Rendered by the server
// (with a note that this page needs JavaScript, since the receipt is turned into keys on the phone).
import type { Translate } from '../i18n/index.ts';

export function FollowUpIntro({ t }: { t: Translate }) {
  return (
    <>
      <h1>{t('followUp.title')}</h1>
      <p>{t('followUp.intro')}</p>
      <noscript><p class="warning">{t('followUp.needsJavaScript')}</p></noscript>
    </>
  );
}
