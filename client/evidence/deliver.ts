// Delivers what waits in the outbox (PROTOCOL.md §25.3): each file by tus, then the sealed body;
// on success the record goes. Runs in the page and in the service worker, never both at once
// (Web Lock), and tells every open page what happened (BroadcastChannel).
import { DeliveryError, call, refusal, uploadFile } from './tus.ts';
import { listRecords, removeRecord, saveRecord, type OutboxRecord } from './outbox.ts';

export type DeliveryEvent =
  | { type: 'progress'; id: string; sent: number; total: number }
  | { type: 'delivered'; id: string }
  | { type: 'refused'; id: string; code: string; message: string };

export type RoundResult = 'done' | 'retry' | 'busy';

export const LOCK = 'redress-outbox';
export const CHANNEL = 'redress-outbox';
export const SYNC_TAG = 'redress-outbox';

/** Every open page hears it through the channel (this one too: its listener is another channel object). */
function announce(event: DeliveryEvent, local?: (e: DeliveryEvent) => void) {
  try {
    const channel = new BroadcastChannel(CHANNEL);
    channel.postMessage(event);
    channel.close();
  } catch {
    local?.(event); // no BroadcastChannel: only this context can hear it
  }
}

async function deliverRecord(record: OutboxRecord, onEvent?: (e: DeliveryEvent) => void, signal?: AbortSignal): Promise<void> {
  const total = record.files.reduce((n, f) => n + f.size, 0);
  let done = 0;
  // Say how much there is to send before the network is tried: offline, the page still shows it.
  onEvent?.({ type: 'progress', id: record.id, sent: 0, total });
  for (const file of record.files) {
    await uploadFile(file, (sent) => onEvent?.({ type: 'progress', id: record.id, sent: done + sent, total }), () => {
      if (file.created) return;
      file.created = true;
      void saveRecord(record);
    }, signal);
    done += file.size;
  }
  const response = await call(`/api/reports/sealed?lang=${record.lang}`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sealed: record.sealed }), signal, timeoutMs: 60_000,
  });
  if (!response.ok) throw await refusal(response);
}

async function round(onEvent?: (e: DeliveryEvent) => void, signal?: AbortSignal): Promise<RoundResult> {
  for (const record of await listRecords()) {
    if (record.failed) continue;
    try {
      await deliverRecord(record, onEvent, signal);
      await removeRecord(record.id);
      announce({ type: 'delivered', id: record.id }, onEvent);
    } catch (err) {
      const problem = err instanceof DeliveryError ? err : new DeliveryError(true, 'internal', '');
      if (problem.retryable) return 'retry';
      await saveRecord({ ...record, failed: { code: problem.code, message: problem.message } });
      announce({ type: 'refused', id: record.id, code: problem.code, message: problem.message }, onEvent);
    }
  }
  return 'done';
}

/** One delivery round under the lock; 'busy' when another context holds it. `signal` stops it (the page going offline). */
export async function deliverAll(onEvent?: (e: DeliveryEvent) => void, signal?: AbortSignal): Promise<RoundResult> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (!locks) return round(onEvent, signal);
  return locks.request(LOCK, { ifAvailable: true }, async (lock) => (lock ? round(onEvent, signal) : 'busy'));
}
