// Send, step one (PROTOCOL.md §25): seal the report with its files' keys inside, seal the whole
// body again to the outbox key, and keep it and the encrypted files in the outbox before any
// network use. Delivery follows (deliver.ts). Returns the receipt, which is not kept.
import type { Intake, ReportBoot } from '../../protocol/api.ts';
import { fromBase64Url, toBase64Url, utf8 } from '../../protocol/encoding.ts';
import type { ReportForm } from '../../protocol/report-form.ts';
import { sealSubmission } from '../../protocol/seal-report.ts';
import { sodiumReady } from '../../protocol/sodium.ts';
import { saveRecord } from './outbox.ts';
import type { PreparedFile } from './prepare.ts';

type Keys = Pick<Intake, 'routing' | 'recovery' | 'receiptSalt'> & { outboxKey: string };

/** A page served from the service worker's cache may carry old keys: take fresh ones if we can. */
async function currentKeys(boot: ReportBoot): Promise<Keys> {
  const cached: Keys = { ...boot.intake, outboxKey: boot.evidence!.outboxKey };
  if (!navigator.serviceWorker?.controller || !navigator.onLine) return cached;
  try {
    const response = await fetch('/api/intake', { cache: 'no-store', signal: AbortSignal.timeout(10_000) });
    const fresh = (await response.json()) as Intake;
    return response.ok && fresh.outboxKey ? { routing: fresh.routing, recovery: fresh.recovery, receiptSalt: fresh.receiptSalt, outboxKey: fresh.outboxKey } : cached;
  } catch {
    return cached;
  }
}

export async function saveReport(form: ReportForm, lang: string, boot: ReportBoot, files: PreparedFile[]): Promise<{ receipt: string; record: string }> {
  const keys = await currentKeys(boot);
  const sealed = await sealSubmission(form, lang, keys, { attachments: files.map((f) => f.ref) });
  const sodium = await sodiumReady();
  const outboxKey = fromBase64Url(keys.outboxKey);
  if (!outboxKey || outboxKey.length !== 32) throw new Error('bad outbox key');
  const record = toBase64Url(sodium.randombytes_buf(16));
  await saveRecord({
    id: record,
    sealed: toBase64Url(sodium.crypto_box_seal(utf8.encode(JSON.stringify(sealed.body)), outboxKey)),
    lang,
    files: files.map((f) => ({ id: f.ref.id, size: f.blob.size, blob: f.blob })),
  });
  return { receipt: sealed.receipt, record };
}
