// Files of a case at the desk: fetched encrypted, opened here with the key from the sealed report
// or message (PROTOCOL.md §23.3). A photo or voice note is shown or played only when its bytes
// prove its type; anything else is a download of opaque bytes. A damaged or truncated file is
// said to be damaged, never shown. Also: attaching files to a message for the reporter.
import { useEffect, useState } from 'preact/hooks';
import type { TFunction } from 'i18next';
import { decryptFile } from '../../../protocol/attachment.ts';
import { fromBase64Url } from '../../../protocol/encoding.ts';
import type { AttachmentLimits, AttachmentRef } from '../../../protocol/evidence-api.ts';
import { bytesMatchType, kindOf } from '../../../protocol/file-types.ts';
import { formatBytes } from '../../evidence/format.ts';
import { prepareFile, type PreparedFile } from '../../evidence/prepare.ts';
import { uploadFile } from '../../evidence/tus.ts';

type Opened =
  | { state: 'loading' }
  | { state: 'missing' | 'damaged' }
  | { state: 'open'; url: string; inline: 'image' | 'audio' | null };

/** Fetches, decrypts and checks one file. */
async function openFile(path: string, ref: AttachmentRef): Promise<Opened> {
  const response = await fetch(path, { credentials: 'same-origin', cache: 'no-store' });
  if (!response.ok) return { state: 'missing' };
  const key = fromBase64Url(ref.key);
  const plain = key ? await decryptFile(new Uint8Array(await response.arrayBuffer()), key) : null;
  if (!plain || plain.length !== ref.size) return { state: 'damaged' };
  const kind = kindOf(ref.type);
  const proven = (kind === 'image' || kind === 'audio') && bytesMatchType(plain, ref.type);
  // Never a type the browser might render as a page: what is not proven is opaque bytes.
  const blob = new Blob([plain as BlobPart], { type: proven ? ref.type : 'application/octet-stream' });
  return { state: 'open', url: URL.createObjectURL(blob), inline: proven ? (kind as 'image' | 'audio') : null };
}

function FileItem({ t, lang, path, file }: { t: TFunction; lang: string; path: string; file: AttachmentRef }) {
  const [opened, setOpened] = useState<Opened>({ state: 'loading' });
  useEffect(() => {
    let url: string | undefined;
    void openFile(path, file).then((o) => { if (o.state === 'open') url = o.url; setOpened(o); }).catch(() => setOpened({ state: 'missing' }));
    return () => { if (url) URL.revokeObjectURL(url); };
  }, [path, file.key]);
  return (
    <li class="file-view">
      <span dir="auto">{file.name}</span> · <span>{formatBytes(lang, file.size)}</span>
      {opened.state === 'loading' && <p class="meta">{t('desk:attachments.decrypting')}</p>}
      {opened.state === 'missing' && <p class="error">{t('desk:attachments.missing')}</p>}
      {opened.state === 'damaged' && <p class="error" role="alert">{t('desk:attachments.damaged')}</p>}
      {opened.state === 'open' && opened.inline === 'image' && <img src={opened.url} alt={file.name} />}
      {opened.state === 'open' && opened.inline === 'audio' && <audio src={opened.url} controls preload="metadata" />}
      {opened.state === 'open' && !opened.inline && kindOf(file.type) !== 'document' && <p class="warning">{t('desk:attachments.notShown')}</p>}
      {opened.state === 'open' && <p><a href={opened.url} download={file.name}>{t('desk:attachments.download')}</a></p>}
    </li>
  );
}

/** The files of a report or of one message. */
export function CaseFiles({ t, lang, caseId, files }: { t: TFunction; lang: string; caseId: string; files: AttachmentRef[] | undefined }) {
  if (!files?.length) return null;
  return (
    <ul class="files case-files" aria-label={t('desk:attachments.title')}>
      {files.map((f) => <FileItem key={f.id} t={t} lang={lang} path={`/api/cases/${caseId}/attachments/${f.id}`} file={f} />)}
    </ul>
  );
}

/** Files a caseworker sends to the reporter: cleaned like the phone does, encrypted, uploaded before the message is sealed. */
export function OutgoingFiles({ t, lang, files, onChange }: { t: TFunction; lang: string; files: PreparedFile[]; onChange: (f: PreparedFile[]) => void }) {
  const [problem, setProblem] = useState('');
  async function add(chosen: File[]) {
    setProblem('');
    const next = [...files];
    for (const file of chosen) {
      try {
        next.push(await prepareFile(file, { original: true, n: next.length + 1, limits: DESK_LIMITS }));
      } catch {
        setProblem(t('errors:file_type_not_allowed'));
      }
    }
    onChange(next);
  }
  return (
    <div>
      <label for="message-files">{t('desk:attachments.attach')}</label>
      <input id="message-files" type="file" multiple onChange={(e) => { const chosen = [...(e.currentTarget.files ?? [])]; e.currentTarget.value = ''; void add(chosen); }} />
      {problem && <p class="error" role="alert">{problem}</p>}
      {files.length > 0 && <ul>{files.map((f) => <li key={f.ref.id}>{f.ref.name} · {formatBytes(lang, f.ref.size)}</li>)}</ul>}
    </div>
  );
}

/** The server enforces its own limits on upload; these only stop the obviously too large early. */
const DESK_LIMITS: AttachmentLimits = { maxFiles: 10, maxFileBytes: 100 * 1024 * 1024, maxTotalBytes: 100 * 1024 * 1024 };

/** Uploads prepared files (no outbox at the desk: a caseworker's browser stays online). */
export async function uploadAll(files: PreparedFile[], onProgress: (sent: number, total: number) => void): Promise<void> {
  const total = files.reduce((n, f) => n + f.blob.size, 0);
  let done = 0;
  for (const f of files) {
    await uploadFile({ id: f.ref.id, blob: f.blob }, (sent) => onProgress(done + sent, total));
    done += f.blob.size;
  }
}
