// On the follow-up page, once a case is open: its reference, how long the reporter may still
// write after it closed, and where it went: each body by name, what that kind of body can and
// cannot do, how long it usually takes, and what happens next (or what the body answered).
// The texts are the `remedy` namespace: fetched by the phone once a case is open, or the server's
// own for the page without JavaScript.
import type { ReporterView } from '../../protocol/api.ts';
import type { Translate } from '../i18n/index.ts';

/** A date inside a translated sentence, kept left-to-right in a right-to-left one. */
const isolate = (day: string) => `\u2066${day}\u2069`;

export function RemedyInfo({ r, view }: { r: Translate; view: ReporterView }) {
  return (
    <>
      <p class="reference-line">{r('reference')} <strong dir="ltr" class="case-reference">{view.reference}</strong><br /><span class="hint">{r('referenceHint')}</span></p>
      {view.referrals.length > 0 && (
        <section class="referrals" aria-labelledby="referrals-title">
          <h2 id="referrals-title">{r('referralsTitle')}</h2>
          <p>{r('referralIntro')}</p>
          {view.referrals.map((ref, i) => (
            <article key={i} class="referral">
              <h3 lang="en" dir="auto">{ref.body}</h3>
              <p class="meta">{r(`kindName.${ref.kind}`)} · {r('sentOn', { day: isolate(ref.sentOn) })}</p>
              <dl>
                <dt>{r('canTitle')}</dt><dd>{r(`kind.${ref.kind}.can`)}</dd>
                <dt>{r('cannotTitle')}</dt><dd>{r(`kind.${ref.kind}.cannot`)}</dd>
                <dt>{r('timeTitle')}</dt><dd>{r(`kind.${ref.kind}.time`)}</dd>
                <dt>{ref.outcome ? r('answerTitle', { day: isolate(ref.outcomeOn ?? '') }) : r('nextTitle')}</dt>
                <dd class={ref.outcome ? 'answer' : undefined}>{r(`next.${ref.outcome ?? 'waiting'}`)}</dd>
              </dl>
            </article>
          ))}
        </section>
      )}
      {view.status === 'closed' && view.canReply && view.repliesOpenUntil && (
        <p class="notice">{r('repliesOpenUntil', { day: isolate(view.repliesOpenUntil) })}</p>
      )}
    </>
  );
}
