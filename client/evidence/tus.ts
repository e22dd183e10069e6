// A small tus 1.0 client over fetch (PROTOCOL.md §24, §24.7 for why not tus-js-client): it runs
// in the page and in the service worker. It asks the server where to resume (HEAD), creates the
// upload under our own id if the server does not know it, and sends the rest in chunks whose size
// follows the link, so progress moves every few seconds even on 2G.
import { TUS_VERSION, UPLOADS_PATH } from '../../protocol/tus.ts';

/** `created`: this client already created the upload (so it asks where to resume instead). */
export interface UploadJob { id: string; blob: Blob; created?: boolean }

/** Why a delivery stopped: retry later (network, busy) or give up (the server refused). */
export class DeliveryError extends Error {
  constructor(readonly retryable: boolean, readonly code: string, message: string) {
    super(message);
  }
}

const MIN_CHUNK = 32 * 1024;
const MAX_CHUNK = 1024 * 1024;
const headers = (extra: Record<string, string> = {}) => ({ 'tus-resumable': TUS_VERSION, ...extra });

/**
 * A request that gives up when the caller stops, or when it has taken far longer than the link
 * allows: a connection that drops without closing (common on 2G) would otherwise hang for minutes.
 * (By hand: AbortSignal.any and .timeout are missing from older phone browsers.)
 */
export async function call(url: string, init: RequestInit & { timeoutMs?: number }): Promise<Response> {
  const { timeoutMs = 30_000, signal, ...rest } = init;
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), timeoutMs);
  const follow = () => stop.abort();
  signal?.addEventListener('abort', follow);
  try {
    if (signal?.aborted) throw new Error('aborted');
    return await fetch(url, { ...rest, cache: 'no-store', credentials: 'same-origin', signal: stop.signal });
  } catch {
    throw new DeliveryError(true, 'offline', '');
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', follow);
  }
}

/** Turns an error answer into a DeliveryError: 408, 423, 429 and 5xx are worth retrying. */
export async function refusal(response: Response): Promise<DeliveryError> {
  const body = (await response.json().catch(() => ({}))) as { code?: string; message?: string };
  const retryable = response.status >= 500 || [408, 423, 429].includes(response.status);
  return new DeliveryError(retryable, body.code ?? `http_${response.status}`, body.message ?? '');
}

async function offsetOf(job: UploadJob, signal?: AbortSignal): Promise<number | null> {
  const response = await call(`${UPLOADS_PATH}/${job.id}`, { method: 'HEAD', headers: headers(), signal });
  if (response.status === 404) return null;
  if (!response.ok) throw await refusal(response);
  return Number(response.headers.get('upload-offset'));
}

/** True when made now; false when it already existed (an earlier try whose answer was lost). */
async function create(job: UploadJob, signal?: AbortSignal): Promise<boolean> {
  const response = await call(UPLOADS_PATH, {
    method: 'POST', signal,
    headers: headers({ 'upload-length': String(job.blob.size), 'upload-metadata': `id ${btoa(job.id)}` }),
  });
  if (response.status === 409) return false;
  if (!response.ok) throw await refusal(response);
  return true;
}

/**
 * Uploads one file, resuming where the server stopped. `onProgress` gets the bytes stored;
 * `onCreated` says the upload now exists (so a later try asks where to resume).
 */
export async function uploadFile(job: UploadJob, onProgress: (sent: number) => void, onCreated?: () => void, signal?: AbortSignal): Promise<void> {
  // A known upload: ask where to resume. It may have expired meanwhile (404): then start again.
  let offset = job.created ? await offsetOf(job, signal) : null;
  if (offset === null) {
    const made = await create(job, signal);
    onCreated?.();
    offset = made ? 0 : ((await offsetOf(job, signal)) ?? 0);
  }
  onProgress(offset);
  let chunk = MIN_CHUNK;
  while (offset < job.blob.size) {
    if (signal?.aborted) throw new DeliveryError(true, 'aborted', '');
    const started = Date.now();
    const body = job.blob.slice(offset, offset + chunk);
    const response = await call(`${UPLOADS_PATH}/${job.id}`, {
      method: 'PATCH', body, signal,
      headers: headers({ 'content-type': 'application/offset+octet-stream', 'upload-offset': String(offset) }),
      // At least 1 KB/s, or give up and resume: what arrived is kept by the server.
      timeoutMs: 30_000 + body.size,
    });
    if (response.status === 409) {
      // Out of step (an earlier request got further than we knew): ask where the server is.
      const current = await offsetOf(job, signal);
      if (current === null) throw new DeliveryError(false, 'upload_not_found', '');
      offset = current;
      continue;
    }
    if (!response.ok) throw await refusal(response);
    offset = Number(response.headers.get('upload-offset'));
    onProgress(offset);
    const took = Date.now() - started;
    chunk = took < 2000 ? Math.min(chunk * 2, MAX_CHUNK) : took > 8000 ? Math.max(chunk / 2, MIN_CHUNK) : chunk;
  }
}
