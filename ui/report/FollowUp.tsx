// The follow-up page's first screen: where the receipt number is typed. Rendered by the server
// with the plain form that works without JavaScript (FollowUpPlain.tsx), and by the app.
import type { Translate } from '../i18n/index.ts';

export function FollowUpIntro({ t }: { t: Translate }) {
  return (
    <>
      <h1>{t('followUp.title')}</h1>
      <p>{t('followUp.intro')}</p>
    </>
  );
}
