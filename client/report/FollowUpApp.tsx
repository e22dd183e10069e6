// Follow-up with the receipt: the number is turned into keys on this phone (never sent), the
// case's status and timeline are shown in the reporter's language, the served keys are checked
// against what this receipt pinned when the report was sent, the caseworker's messages are
// decrypted and checked here (a forged one is never shown), and replies are sealed and signed
// here. Nothing stays after a few idle minutes.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import type { ReporterView } from '../../protocol/api.ts';
import type { ReadMessage } from '../../protocol/messages.ts';
import { normaliseReceipt } from '../../protocol/receipt.ts';
import type { Namespaces, Translate } from '../../ui/i18n/index.ts';
import { createTranslate } from '../../ui/i18n/translate.ts';
import { switchLanguage } from './language.ts';
import { Layout } from '../../ui/report/Layout.tsx';
import { FollowUpIntro } from '../../ui/report/FollowUp.tsx';
import type { Boot } from './App.tsx';
import type { PreparedFile } from '../evidence/prepare.ts';
import { EvidenceSlot, loadEvidence } from './evidence-slot.tsx';
import type { CaseTrust, ReporterKeys } from './follow-up-crypto.ts';
import { RemedyInfo } from '../../ui/report/RemedyInfo.tsx';

/** The `remedy` namespace in a language: { remedy: { … } }, as i18next resources. */
async function loadRemedyTexts(lang: string): Promise<Namespaces> {
  const response = await fetch(`/locales/remedy-${lang}.json`);
  if (!response.ok) throw new Error(String(response.status));
  return (await response.json()) as Namespaces;
}


const IDLE_MS = 5 * 60 * 1000;

interface Opened { token: string; view: ReporterView; keys: ReporterKeys; trust: CaseTrust; read: Map<string, ReadMessage> }

const crypto = () => import('./follow-up-crypto.ts');

export function FollowUpApp({ boot }: { boot: Boot }) {
  const [lang, setLang] = useState<string>(boot.lang);
  const [t, setT] = useState<Translate>(() => createTranslate(boot.resources));
  const [typed, setTyped] = useState('');
  const [hint, setHint] = useState('');
  const [busy, setBusy] = useState(false);
  const [opened, setOpened] = useState<Opened | null>(null);
  const [expired, setExpired] = useState(false);
  const [reply, setReply] = useState('');
  const [notice, setNotice] = useState('');
  const [files, setFiles] = useState<PreparedFile[]>([]);
  const [uploading, setUploading] = useState<{ sent: number; total: number } | null>(null);
  const [remedyT, setRemedyT] = useState<Translate | null>(null);
  const idle = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => { heading.current?.focus(); }, [opened === null]);
  // Where the case went, in the page's language: fetched once a case is open, and again on a switch.
  useEffect(() => {
    if (!opened) return;
    let current = true;
    loadRemedyTexts(lang).then((resources) => { if (current) setRemedyT(() => createTranslate(resources, 'remedy')); }).catch(() => {});
    return () => { current = false; };
  }, [opened === null, lang]);

  function forget(showExpired: boolean) {
    if (opened) void fetch('/api/follow-up/close', { method: 'POST', headers: { authorization: `Bearer ${opened.token}` } });
    setOpened(null); setTyped(''); setReply(''); setNotice(''); setFiles([]); setRemedyT(null); setExpired(showExpired);
  }

  // Clear everything after a few idle minutes: the phone may be shared or taken.
  useEffect(() => {
    if (!opened) return;
    const reset = () => { clearTimeout(idle.current); idle.current = setTimeout(() => forget(true), IDLE_MS); };
    reset();
    for (const ev of ['pointerdown', 'keydown', 'scroll'] as const) window.addEventListener(ev, reset, { passive: true });
    return () => { clearTimeout(idle.current); for (const ev of ['pointerdown', 'keydown', 'scroll'] as const) window.removeEventListener(ev, reset); };
  }, [opened]);

  async function changeLanguage(code: string) {
    const next = await switchLanguage(code, boot.localeUrls);
    setT(() => next);
    setLang(code);
  }

  async function decrypt(view: ReporterView, keys: ReporterKeys) {
    const { checkCaseKeys, readMessages } = await crypto();
    const trust = await checkCaseKeys(view, keys);
    return { trust, read: await readMessages(view, keys, trust) };
  }

  async function open(e: Event) {
    e.preventDefault();
    const result = normaliseReceipt(typed);
    if (!result.ok) return setHint(t(`followUp.problem.${result.problem}`));
    setHint(''); setBusy(true); setExpired(false);
    try {
      const { receiptKeys } = await crypto();
      const keys = await receiptKeys(result.digits, boot.intake.receiptSalt);
      const response = await fetch('/api/follow-up/open', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ authToken: keys.authToken }) });
      const body = await response.json();
      if (!response.ok) return setHint(response.status === 401 ? t('followUp.notFound') : body.message);
      setOpened({ token: body.token, view: body.case, keys, ...(await decrypt(body.case, keys)) });
      setTyped('');
    } catch {
      setHint(t('review.failed'));
    } finally {
      setBusy(false);
    }
  }

  async function send(e: Event) {
    e.preventDefault();
    // Never seal a reply to keys this receipt did not pin (§28.4).
    if (!opened || !reply.trim() || (!opened.trust.legacy && !opened.trust.pinned)) return;
    setBusy(true);
    try {
      const { sealReply } = await crypto();
      if (files.length) {
        // Files first (tus, resuming over dropped connections); the message names them once they are in.
        await (await loadEvidence()).uploadReplyFiles(files, (sent, total) => setUploading({ sent, total }));
        setUploading(null);
      }
      const envelope = await sealReply(opened.view.caseId, reply.trim(), opened.view.replyTo, opened.keys, files.map((f) => f.ref));
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${opened.token}` };
      const attachments = files.length ? { attachments: files.map((f) => f.ref.id) } : {};
      const response = await fetch('/api/follow-up/messages', { method: 'POST', headers, body: JSON.stringify({ envelope, ...attachments }) });
      if (response.status === 401) return forget(true);
      if (!response.ok) return setNotice((await response.json()).message);
      const view = (await (await fetch('/api/follow-up', { headers })).json()) as ReporterView;
      setOpened({ ...opened, view, ...(await decrypt(view, opened.keys)) });
      setReply('');
      setFiles([]);
      setNotice(t('followUp.sent'));
    } catch (err) {
      setUploading(null);
      setNotice((err as Error).message || t('review.failed'));
    } finally {
      setBusy(false);
    }
  }

  const layout = { t, lang, quickExitUrl: boot.quickExitUrl, path: '/follow-up', onLanguage: (c: string) => void changeLanguage(c) };
  if (!opened) {
    return (
      <Layout {...layout}>
        <FollowUpIntro t={t} />
        {expired && <p class="notice" role="status">{t('followUp.expired')}</p>}
        <form onSubmit={open} class="confirm" noValidate>
          <label for="receipt">{t('followUp.receipt')}</label>
          {hint && <p id="receipt-error" class="error" role="alert">{hint}</p>}
          <input id="receipt" name="receipt" inputMode="numeric" autoComplete="off" dir="ltr" class="receipt-input" value={typed}
            aria-invalid={hint ? 'true' : undefined} aria-describedby={hint ? 'receipt-error' : undefined} onInput={(e) => setTyped(e.currentTarget.value)} />
          <button type="submit" class="primary" disabled={busy}>{busy ? t('followUp.opening') : t('followUp.open')}</button>
        </form>
        <p><a href={`/?lang=${lang}`}>{t('title')}</a></p>
      </Layout>
    );
  }
  const { view, read, trust } = opened;
  const keysChanged = !trust.legacy && !trust.pinned;
  const statusText = (status: string) => view.texts[`status.${status}`] ?? t(`followUp.status.${status}`);
  return (
    <Layout {...layout}>
      <h1 tabIndex={-1} ref={heading}>{t('followUp.caseTitle')}</h1>
      <p class="status-now"><strong>{statusText(view.status)}</strong>{view.outcome && ` ${t(`followUp.outcome.${view.outcome}`)}`}</p>
      {remedyT && <RemedyInfo r={remedyT} view={view} />}
      <h2>{t('followUp.timeline')}</h2>
      <ol class="timeline">
        {view.timeline.map((e, i) => <li key={i}><span dir="ltr">{e.on}</span> · {t(`followUp.event.${e.status}`)}{e.outcome && ` (${t(`followUp.outcome.${e.outcome}`)})`}</li>)}
      </ol>
      <h2>{t('followUp.messages')}</h2>
      {keysChanged && <p class="warning" role="alert">{t('trust.keysChanged')}</p>}
      {view.messages.length === 0 && <p>{t('followUp.noMessages')}</p>}
      <ul class="messages">
        {view.messages.map((m) => {
          const shown = read.get(m.id);
          return (
            <MessageItem key={m.id} t={t} direction={m.direction} createdAt={m.createdAt} read={shown}>
              {boot.evidence && shown?.status !== 'forged' && shown?.attachments?.length
                ? <EvidenceSlot part="MessageFilesPart" t={t} lang={lang} boot={boot} token={opened.token} files={shown.attachments} /> : null}
            </MessageItem>
          );
        })}
      </ul>
      {!view.canReply ? <p class="notice">{t('followUp.closed')}</p> : keysChanged ? null : (
        <form onSubmit={send}>
          <label for="reply">{t('followUp.reply')}</label>
          <p id="reply-hint" class="hint">{t('followUp.replyHint')}</p>
          <textarea id="reply" rows={5} value={reply} maxLength={5000} dir="auto" autoComplete="off" aria-describedby="reply-hint" onInput={(e) => setReply(e.currentTarget.value)} />
          {boot.evidence && <EvidenceSlot part="ReplyFiles" t={t} lang={lang} boot={boot} files={files} onChange={setFiles} progress={uploading} />}
          <div aria-live="polite">{notice && <p class="status">{notice}</p>}</div>
          <button type="submit" class="primary" disabled={busy || !reply.trim()}>{t('followUp.send')}</button>
        </form>
      )}
      <p><button type="button" onClick={() => forget(false)}>{t('followUp.leave')}</button></p>
    </Layout>
  );
}

/** One message as the phone can vouch for it (§29.3): checked, not checked (with why), or hidden. */
function MessageItem({ t, direction, createdAt, read, children }: {
  t: Translate; direction: string; createdAt: string; read: ReadMessage | undefined; children?: ComponentChildren;
}) {
  if (!read || read.status === 'forged') {
    return <li class={`${direction} forged`}><p class="warning" role="note">{t('trust.forged')}</p></li>;
  }
  return (
    <li class={`${direction} ${read.status}`}>
      <p class="meta">
        {direction === 'to_reporter' ? t('followUp.fromCaseworker') : t('followUp.fromYou')} · <span dir="ltr">{createdAt}</span>
        {read.status === 'verified' && direction === 'to_reporter' && <> · <span class="tag verified">{t('trust.checked')}</span></>}
      </p>
      {read.status === 'unverified' && direction === 'to_reporter' && <p class="hint">{t(read.reason === 'cannot_check' ? 'trust.cannotCheck' : 'trust.beforeSignatures')}</p>}
      <p dir="auto" class="message-text">{read.text}</p>
      {children}
    </li>
  );
}
