// How the desk shows a deadline: what it is, when it falls due, and whether it is due soon or
// overdue (in words and as a tag, never by colour alone).
import type { TFunction } from 'i18next';
import type { Timer } from '../../protocol/remedy-api.ts';

export const dueTime = (iso: string) => iso.slice(0, 16).replace('T', ' ');

/** A day inside a translated sentence, kept left-to-right in a right-to-left one. */
export const isolate = (day: string) => `\u2066${day}\u2069`;

export function DeadlineLabel({ t, timer }: { t: TFunction; timer: Timer }) {
  return (
    <span class={`deadline ${timer.state}`}>
      {t(`desk:remedy.timer.${timer.kind}`)} · <span dir="ltr">{dueTime(timer.due)}</span>
      {timer.state !== 'ok' && <strong class={`tag ${timer.state}`}> {t(`desk:remedy.state.${timer.state}`)}</strong>}
    </span>
  );
}
