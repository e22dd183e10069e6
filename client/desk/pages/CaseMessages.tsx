// The messages of a case at the desk, each with what could be proved about its sender
// (PROTOCOL.md §29.3): signed, not verified (with the reason), or forged (a warning, no text).
import type { TFunction } from 'i18next';
import type { ReadMessage } from '../../../protocol/messages.ts';
import { CaseFiles } from './CaseFiles.tsx';

export interface ShownMessage extends ReadMessage {
  id: string; direction: 'to_reporter' | 'from_reporter'; createdAt: string;
  /** 'server': a reply sent without JavaScript, sealed by the server on arrival (PROTOCOL.md §26). */
  sealedBy?: string;
}

/** What the desk knows about the keys the reporter's phone will check messages against. */
export type PinState = 'legacy' | 'none' | 'match' | 'mismatch' | null;

export function PinNotice({ t, state }: { t: TFunction; state: PinState }) {
  if (state === 'legacy') return <p class="hint">{t('desk:trust.legacyCase')}</p>;
  if (state === 'none') return <p class="hint">{t('desk:trust.pinNone')}</p>;
  if (state === 'mismatch') return <p class="error" role="alert">{t('desk:trust.pinMismatch')}</p>;
  return null;
}

export function CaseMessages({ t, lang, caseId, messages, reporterLanguage }: {
  t: TFunction; lang: string; caseId: string; messages: ShownMessage[]; reporterLanguage: string;
}) {
  return (
    <ul class="notes messages">
      {messages.map((m) => (
        <li key={m.id} class={`${m.direction} ${m.status}`}>
          <span class="meta">
            {m.createdAt.slice(0, 16).replace('T', ' ')} · {m.direction === 'to_reporter' ? t('desk:case.toReporter') : t('desk:case.fromReporter')}
            {m.status === 'verified' && <> · <span class="tag verified">{t('desk:trust.verified')}</span></>}
            {m.sealedBy === 'server' && ` · ${t('desk:attachments.sealedByServer')}`}
          </span>
          {m.status === 'forged'
            ? <p class="warning" role="note">{t('desk:trust.forged')}</p>
            : (
              <>
                {m.status === 'unverified' && <p class="hint">{t(`desk:trust.unverified.${m.reason}`)}</p>}
                <p dir="auto" lang={m.direction === 'from_reporter' ? reporterLanguage : undefined}>{m.text}</p>
                <CaseFiles t={t} lang={lang} caseId={caseId} files={m.attachments} />
              </>
            )}
        </li>
      ))}
    </ul>
  );
}
