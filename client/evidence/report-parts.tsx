// The evidence parts of the public form, loaded on demand so the form's first paint stays small:
// the attachments panel, the list on the review screen, the "saved on this phone" status while a
// report is delivered, and a banner for a report saved in an earlier visit.
import { useEffect, useState } from 'preact/hooks';
import type { ReportBoot } from '../../protocol/api.ts';
import type { Translate } from '../../ui/i18n/index.ts';
import { Attachments } from './Attachments.tsx';
import { subscribe, type DeliveryNews } from './delivery-store.ts';
import { formatBytes } from './format.ts';
import { listRecords, removeRecord, type OutboxRecord } from './outbox.ts';
import type { PreparedFile } from './prepare.ts';
import { Progress } from './Progress.tsx';
import { useEvidenceTexts } from './texts.ts';
import { MessageFiles as MessageFilesView } from './follow-up-parts.tsx';
import type { AttachmentRef } from '../../protocol/evidence-api.ts';

export { saveReport } from './submit.ts';
export { deliverSoon } from './delivery-store.ts';

interface Common { t: Translate; lang: string; boot: ReportBoot }

export function AttachmentsPanel({ t, lang, boot, files, onChange }: Common & { files: PreparedFile[]; onChange: (f: PreparedFile[]) => void }) {
  const te = useEvidenceTexts(lang, boot.evidence!.localeHash, t);
  if (!te('evidence:attach.title')) return null;
  return <Attachments t={te} lang={lang} limits={boot.evidence!.limits} files={files} onChange={onChange} sealedLabel={t('privacy.sealed')} />;
}

export function AttachedList({ t, lang, boot, files }: Common & { files: PreparedFile[] }) {
  const te = useEvidenceTexts(lang, boot.evidence!.localeHash, t);
  if (!files.length) return null;
  return (
    <section class="review-files">
      <h2>{te('evidence:review.files')} <span class="badge sealed">{t('privacy.sealed')}</span></h2>
      <ul class="attached">{files.map((f) => <li key={f.ref.id}><span dir="auto">{f.ref.name}</span> · {formatBytes(lang, f.ref.size)}</li>)}</ul>
    </section>
  );
}

/** Follows one record's delivery; tells the form when it arrived or was refused. */
function useRecord(record: string | null, onDone?: (news: DeliveryNews) => void) {
  const [progress, setProgress] = useState<{ sent: number; total: number } | null>(null);
  const [waiting, setWaiting] = useState(false);
  useEffect(() => subscribe((news) => {
    if (news.type === 'waiting') return setWaiting(news.waiting);
    if (record !== null && news.id !== record) return;
    // Bytes the server holds only grow (a new round starts by saying 0 before it knows).
    if (news.type === 'progress') { setWaiting(false); setProgress((p) => ({ sent: Math.max(news.sent, p?.total === news.total ? p.sent : 0), total: news.total })); }
    else onDone?.(news);
  }), [record]);
  return { progress, waiting };
}

export function SavedStatus({ t, lang, boot, record, onDelivered, onRefused }: Common & {
  record: string; onDelivered: () => void; onRefused: (message: string) => void;
}) {
  const te = useEvidenceTexts(lang, boot.evidence!.localeHash, t);
  const { progress, waiting } = useRecord(record, (news) => {
    if (news.type === 'delivered') onDelivered();
    // A refused report cannot be sealed again from here (nothing readable is kept): drop it; Send makes a new one.
    if (news.type === 'refused') void removeRecord(record).then(() => onRefused(news.message || news.code));
  });
  return (
    <div role="status">
      <p class="notice">{t('outbox.saved')}</p>
      {progress && progress.total > 0 && <Progress t={te} lang={lang} sent={progress.sent} total={progress.total} waiting={waiting} />}
      {(!progress || progress.total === 0) && waiting && <p class="status">{te('evidence:delivery.waiting')}</p>}
    </div>
  );
}

/** A report saved on this phone in an earlier visit: its delivery, or why it was refused. */
export function OutboxBanner({ t, lang, boot }: Common) {
  const te = useEvidenceTexts(lang, boot.evidence!.localeHash, t);
  const [pending, setPending] = useState<OutboxRecord[]>([]);
  const [delivered, setDelivered] = useState(0);
  useEffect(() => { void listRecords().then(setPending); }, []);
  const { progress, waiting } = useRecord(null, (news) => {
    if (news.type === 'delivered') { setPending((p) => p.filter((r) => r.id !== news.id)); setDelivered((n) => n + 1); }
    if (news.type === 'refused') void listRecords().then(setPending);
  });
  const refused = pending.filter((r) => r.failed);
  const waitingCount = pending.length - refused.length;
  if (!waitingCount && !refused.length && !delivered) return null;
  return (
    <div class="outbox-banner" role="status">
      {waitingCount > 0 && <p class="notice">{te('evidence:banner.waiting')}</p>}
      {waitingCount > 0 && progress && progress.total > 0 && <Progress t={te} lang={lang} sent={progress.sent} total={progress.total} waiting={waiting} />}
      {delivered > 0 && <p class="confirmed">{te('evidence:banner.delivered')}</p>}
      {refused.map((r) => (
        <p key={r.id} class="error">{te('evidence:banner.refused', { message: r.failed!.message })}{' '}
          <button type="button" onClick={() => void removeRecord(r.id).then(() => setPending((p) => p.filter((x) => x.id !== r.id)))}>{te('evidence:banner.discard')}</button>
        </p>
      ))}
    </div>
  );
}

export { uploadReplyFiles } from './follow-up-parts.tsx';

/** The reply's files on the follow-up page: the same panel as the form, and upload progress. */
export function ReplyFiles({ t, lang, boot, files, onChange, progress }: Common & {
  files: PreparedFile[]; onChange: (f: PreparedFile[]) => void; progress: { sent: number; total: number } | null;
}) {
  const te = useEvidenceTexts(lang, boot.evidence!.localeHash, t);
  if (!te('evidence:attach.title')) return null;
  return (
    <>
      <Attachments t={te} lang={lang} limits={boot.evidence!.limits} files={files} onChange={onChange} sealedLabel={t('privacy.sealed')} />
      {progress && <Progress t={te} lang={lang} sent={progress.sent} total={progress.total} waiting={false} />}
    </>
  );
}

/** Files of a message, with the evidence texts. */
export function MessageFilesPart({ t, lang, boot, token, files }: Common & { token: string; files?: AttachmentRef[] }) {
  const te = useEvidenceTexts(lang, boot.evidence!.localeHash, t);
  return <MessageFilesView t={te} lang={lang} token={token} files={files} />;
}
