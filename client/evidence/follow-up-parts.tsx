// Files on the follow-up page: those sent with a message, opened on demand (a phone on 2G should
// not fetch a caseworker's PDF it did not ask for), and those the reporter sends with a reply.
import { useEffect, useState } from 'preact/hooks';
import { decryptFile } from '../../protocol/attachment.ts';
import { fromBase64Url } from '../../protocol/encoding.ts';
import type { AttachmentRef } from '../../protocol/evidence-api.ts';
import { bytesMatchType, kindOf } from '../../protocol/file-types.ts';
import type { Translate } from '../../ui/i18n/index.ts';
import { formatBytes } from './format.ts';
import type { PreparedFile } from './prepare.ts';
import { uploadFile } from './tus.ts';
import './evidence.css';

type State = { name: 'closed' } | { name: 'opening' } | { name: 'failed'; key: 'damaged' | 'missing' } | { name: 'open'; url: string; inline: 'image' | 'audio' | null };

function MessageFile({ t, lang, token, file }: { t: Translate; lang: string; token: string; file: AttachmentRef }) {
  const [state, setState] = useState<State>({ name: 'closed' });
  useEffect(() => () => { if (state.name === 'open') URL.revokeObjectURL(state.url); }, [state]);
  async function open() {
    setState({ name: 'opening' });
    try {
      const response = await fetch(`/api/follow-up/attachments/${file.id}`, { headers: { authorization: `Bearer ${token}` }, cache: 'no-store' });
      if (!response.ok) return setState({ name: 'failed', key: 'missing' });
      const key = fromBase64Url(file.key);
      const plain = key ? await decryptFile(new Uint8Array(await response.arrayBuffer()), key) : null;
      if (!plain || plain.length !== file.size) return setState({ name: 'failed', key: 'damaged' });
      const kind = kindOf(file.type);
      const proven = (kind === 'image' || kind === 'audio') && bytesMatchType(plain, file.type);
      const url = URL.createObjectURL(new Blob([plain as BlobPart], { type: proven ? file.type : 'application/octet-stream' }));
      setState({ name: 'open', url, inline: proven ? (kind as 'image' | 'audio') : null });
    } catch {
      setState({ name: 'failed', key: 'missing' });
    }
  }
  return (
    <li class="file-view">
      <span dir="auto">{file.name}</span> · <span>{formatBytes(lang, file.size)}</span>{' '}
      {state.name === 'closed' && <button type="button" class="link" onClick={() => void open()}>{t('evidence:files.open')}</button>}
      {state.name === 'opening' && <span class="meta">…</span>}
      {state.name === 'failed' && <p class="error" role="alert">{t(`evidence:files.${state.key}`)}</p>}
      {state.name === 'open' && state.inline === 'image' && <img src={state.url} alt={file.name} />}
      {state.name === 'open' && state.inline === 'audio' && <audio src={state.url} controls />}
      {state.name === 'open' && <a href={state.url} download={file.name}>{t('evidence:files.download')}</a>}
    </li>
  );
}

export function MessageFiles({ t, lang, token, files }: { t: Translate; lang: string; token: string; files?: AttachmentRef[] }) {
  if (!files?.length) return null;
  return <ul class="files">{files.map((f) => <MessageFile key={f.id} t={t} lang={lang} token={token} file={f} />)}</ul>;
}

/** Uploads a reply's files (the page is open: tus resumes across dropped connections by itself). */
export async function uploadReplyFiles(files: PreparedFile[], onProgress: (sent: number, total: number) => void): Promise<void> {
  const total = files.reduce((n, f) => n + f.blob.size, 0);
  let done = 0;
  for (const f of files) {
    for (let attempt = 0; ; attempt++) {
      try {
        await uploadFile({ id: f.ref.id, blob: f.blob, created: attempt > 0 }, (sent) => onProgress(done + sent, total));
        break;
      } catch (err) {
        if (!(err as { retryable?: boolean }).retryable || attempt >= 20) throw err;
        await new Promise((r) => setTimeout(r, Math.min(2000 * 2 ** attempt, 60_000)));
      }
    }
    done += f.blob.size;
  }
}
