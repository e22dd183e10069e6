// Follow-up as plain HTML, for browsers without JavaScript (PROTOCOL.md §26): the receipt form
// (also the first paint of the follow-up page), the case with its messages opened by the server,
// and the reply form. Each page says plainly that the server did the decrypting.
import type { ReporterView } from '../../protocol/api.ts';
import type { Translate } from '../i18n/index.ts';
import { RemedyInfo } from './RemedyInfo.tsx';

export interface PlainMessageView {
  id: string;
  direction: 'to_reporter' | 'from_reporter';
  createdAt: string;
  text: string | null;
  files: { name: string; size: number; token: string }[];
}

/**
 * The receipt form, saying that the server will do the key work. On the follow-up page itself it
 * is inside `noscript`: a browser that runs the app never shows it, so nobody with a script sends
 * the receipt to the server by pressing a button before the app has loaded.
 */
export function PlainReceiptForm({ t, lang, hint }: { t: Translate; lang: string; hint?: string }) {
  return (
    <form method="post" action={`/follow-up/read?lang=${lang}`} enctype="multipart/form-data" class="confirm plain-follow-up">
      <input type="hidden" name="lang" value={lang} />
      <p class="warning">{t('evidence:plain.note')}</p>
      <label for="receipt">{t('followUp.receipt')}</label>
      {hint && <p id="receipt-error" class="error" role="alert">{hint}</p>}
      <input id="receipt" name="receipt" inputMode="numeric" autoComplete="off" dir="ltr" class="receipt-input"
        aria-invalid={hint ? 'true' : undefined} aria-describedby={hint ? 'receipt-error' : undefined} />
      <button type="submit" class="primary">{t('followUp.open')}</button>
    </form>
  );
}

const sizeText = (lang: string, bytes: number) =>
  new Intl.NumberFormat(lang, { style: 'unit', unit: bytes < 1048576 ? 'kilobyte' : 'megabyte', unitDisplay: 'short', maximumFractionDigits: 1 })
    .format(bytes < 1048576 ? Math.max(1, Math.round(bytes / 1024)) : bytes / 1048576);

interface CaseProps { t: Translate; lang: string; view: ReporterView; messages: PlainMessageView[]; session: string; notice?: string }

export function PlainCase({ t, lang, view, messages, session, notice }: CaseProps) {
  const statusText = (status: string) => view.texts[`status.${status}`] ?? t(`followUp.status.${status}`);
  const remedyText: Translate = (key, vars) => t(`remedy:${key}`, vars);
  return (
    <>
      <h1>{t('followUp.caseTitle')}</h1>
      <p class="warning">{t('evidence:plain.decrypted')}</p>
      <p class="status-now"><strong>{statusText(view.status)}</strong>{view.outcome && ` ${t(`followUp.outcome.${view.outcome}`)}`}</p>
      <RemedyInfo r={remedyText} view={view} />
      <h2>{t('followUp.timeline')}</h2>
      <ol class="timeline">
        {view.timeline.map((e, i) => <li key={i}><span dir="ltr">{e.on}</span> · {t(`followUp.event.${e.status}`)}{e.outcome && ` (${t(`followUp.outcome.${e.outcome}`)})`}</li>)}
      </ol>
      <h2>{t('followUp.messages')}</h2>
      {messages.length === 0 && <p>{t('followUp.noMessages')}</p>}
      <ul class="messages">
        {messages.map((m) => (
          <li key={m.id} class={m.direction}>
            <p class="meta">{m.direction === 'to_reporter' ? t('followUp.fromCaseworker') : t('followUp.fromYou')} · <span dir="ltr">{m.createdAt}</span></p>
            <p dir="auto" class="message-text">{m.text ?? '—'}</p>
            {m.files.map((f) => (
              <form key={f.token} method="post" action={`/follow-up/file?lang=${lang}`} enctype="multipart/form-data" class="file-form">
                <input type="hidden" name="token" value={f.token} />
                <button type="submit" class="link">{t('evidence:files.download')}: <span dir="auto">{f.name}</span> ({sizeText(lang, f.size)})</button>
              </form>
            ))}
          </li>
        ))}
      </ul>
      {notice && <p class="status" role="status">{notice}</p>}
      {!view.canReply ? <p class="notice">{t('followUp.closed')}</p> : (
        <form method="post" action={`/follow-up/reply?lang=${lang}`} enctype="multipart/form-data" class="plain-reply">
          <input type="hidden" name="session" value={session} />
          <input type="hidden" name="lang" value={lang} />
          <label for="reply">{t('followUp.reply')}</label>
          <p id="reply-hint" class="hint">{t('evidence:plain.replyNote')}</p>
          <textarea id="reply" name="message" rows={5} maxLength={5000} dir="auto" autoComplete="off" aria-describedby="reply-hint" required />
          <label for="reply-file">{t('evidence:plain.file')}</label>
          <input id="reply-file" name="file" type="file" />
          <button type="submit" class="primary">{t('followUp.send')}</button>
        </form>
      )}
      <p><a href={`/follow-up?lang=${lang}`}>{t('followUp.leave')}</a></p>
    </>
  );
}

/** The follow-up page's first paint: the title, and the plain form for browsers without a script. */
export function PlainFollowUpStart({ t, lang }: { t: Translate; lang: string }) {
  return (
    <>
      <h1>{t('followUp.title')}</h1>
      <noscript><PlainReceiptForm t={t} lang={lang} /></noscript>
    </>
  );
}

/** The receipt form again, after a refusal, with what went wrong. */
export function PlainReceiptAgain({ t, lang, hint }: { t: Translate; lang: string; hint: string }) {
  return (
    <>
      <h1>{t('followUp.title')}</h1>
      <PlainReceiptForm t={t} lang={lang} hint={hint} />
    </>
  );
}

export function PlainSent({ t, lang }: { t: Translate; lang: string }) {
  return (
    <>
      <h1>{t('followUp.caseTitle')}</h1>
      <p class="confirmed" role="status">{t('followUp.sent')}</p>
      <p><a href={`/follow-up?lang=${lang}`}>{t('evidence:plain.again')}</a></p>
    </>
  );
}
