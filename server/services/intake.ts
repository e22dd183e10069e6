// What the public is told about evidence: the attachment limits and the outbox key, added to
// GET /api/intake and to the public pages' boot data (PROTOCOL.md §24.6, §25.1).
import type { Conn } from '../../db/index.ts';
import type { Intake } from '../../protocol/api.ts';
import type { AttachmentLimits, EvidenceBoot } from '../../protocol/evidence-api.ts';
import { notOpen } from '../errors.ts';
import { buildIntake } from './organisation.ts';
import { outboxPublicKey } from './outbox-key.ts';
import type { FileStore } from './uploads.ts';

export const publishedLimits = ({ limits }: FileStore): AttachmentLimits =>
  ({ maxFiles: limits.maxFiles, maxFileBytes: limits.maxFileBytes, maxTotalBytes: limits.maxTotalBytes });

export async function publishedIntake(db: Conn, files: FileStore): Promise<Intake> {
  const document = buildIntake(db);
  if (!document) throw notOpen();
  return { ...document, attachments: publishedLimits(files), outboxKey: await outboxPublicKey(db) };
}

export async function evidenceBoot(db: Conn, files: FileStore, localeHash: string): Promise<EvidenceBoot> {
  return { limits: publishedLimits(files), outboxKey: await outboxPublicKey(db), localeHash };
}
