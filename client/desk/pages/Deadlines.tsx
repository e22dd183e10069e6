// "My deadlines": what is due soon or overdue on the cases assigned to me (or on all my teams'
// cases): the four case timers and referral follow-ups, soonest first.
import { useEffect, useState } from 'preact/hooks';
import type { TFunction } from 'i18next';
import type { DeadlineItem } from '../../../protocol/remedy-api.ts';
import { api, errorText } from '../api.ts';
import { DeadlineLabel } from '../deadline-label.tsx';

export function Deadlines({ t, onOpen }: { t: TFunction; onOpen: (caseId: string) => void }) {
  const [scope, setScope] = useState<'mine' | 'team'>('mine');
  const [items, setItems] = useState<DeadlineItem[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    setItems(null);
    api<DeadlineItem[]>('GET', `/api/deadlines?scope=${scope}`).then(setItems).catch((err) => setError(errorText(err)));
  }, [scope]);

  return (
    <section>
      <h1>{t('desk:remedy.deadlines.title')}</h1>
      <fieldset class="scope">
        <legend>{t('desk:remedy.deadlines.scope')}</legend>
        {(['mine', 'team'] as const).map((s) => (
          <label key={s} class="check"><input type="radio" name="scope" checked={scope === s} onChange={() => setScope(s)} /> {t(`desk:remedy.deadlines.${s}`)}</label>
        ))}
      </fieldset>
      {error && <p class="error" role="alert">{error}</p>}
      {items === null ? <p>{t('desk:working')}</p> : items.length === 0 ? <p>{t('desk:remedy.deadlines.empty')}</p> : (
        <div class="table-scroll"><table class="deadlines">
          <thead><tr><th>{t('desk:remedy.reference')}</th><th>{t('desk:remedy.deadlines.what')}</th><th>{t('desk:case.status')}</th></tr></thead>
          <tbody>
            {items.map((item) => (
              <tr key={`${item.caseId}-${item.kind}-${item.due}`} class={item.state}>
                <td>
                  <button type="button" class="link reference" dir="ltr" onClick={() => onOpen(item.caseId)}>{item.reference}</button>
                  {item.urgent && <strong class="tag urgent"> {t('desk:queue.urgent')}</strong>}
                </td>
                <td><DeadlineLabel t={t} timer={item} />{item.pathwayName && <span class="meta"> · {item.pathwayName}</span>}</td>
                <td>{t(`desk:status.${item.status}`)}</td>
              </tr>
            ))}
          </tbody>
        </table></div>
      )}
    </section>
  );
}
