// The contract for evidence: upload ids and the lists that link uploads to a report or message
// (tus, PROTOCOL.md §24), the published limits, the attachment reference sealed inside a report
// or message (§23.4), and the sealed-for-delivery body of the outbox (§25.1).
import { Type, type Static } from 'typebox';
import { B64, B64Text, strict } from './schema-kit.ts';

/** Upload ids: 16 random bytes, b64u (drawn by the uploader, §24.1). */
export const UPLOAD_ID_PATTERN = '^[A-Za-z0-9_-]{22}$';
export const UploadId = B64(16, 'Upload id: 16 random bytes, base64url');
/** Hard ceiling of the schema; the configured limit (ATTACHMENT_MAX_FILES) may be lower. */
export const MAX_ATTACHMENTS = 10;
export const AttachmentIds = Type.Array(UploadId, {
  maxItems: MAX_ATTACHMENTS, uniqueItems: true, description: 'Completed uploads (tus) that belong to this report or message',
});

export { TUS_VERSION, UPLOADS_PATH } from './tus.ts';

/** What the phone is told before anything is chosen, and what the server enforces. */
export const AttachmentLimits = Type.Object({
  maxFiles: Type.Integer(),
  /** Largest encrypted file, bytes. */
  maxFileBytes: Type.Integer(),
  /** All encrypted files of one report or message, bytes. */
  maxTotalBytes: Type.Integer(),
}, strict);
export type AttachmentLimits = Static<typeof AttachmentLimits>;

/** Inside a sealed report or message only: never sent or stored in clear (§23.4). */
export interface AttachmentRef {
  id: string;
  /** b64u of the file's 32-byte secretstream key. */
  key: string;
  name: string;
  type: string;
  /** Plaintext bytes. */
  size: number;
}

/** What a message envelope holds (§21.4): its text, and files sent with it. */
export interface MessageContent {
  text: string;
  attachments?: AttachmentRef[];
}

/** A submission body sealed to the server's outbox key, as it waits on the phone (§25.1). */
export const SealedReport = Type.Object({
  sealed: B64Text(262_144, 'crypto_box_seal of the JSON submission body to the outbox key'),
}, strict);
export type SealedReport = Static<typeof SealedReport>;

/** What the public pages' scripts need for evidence: limits, the outbox key, the lazy texts. */
export const EvidenceBoot = Type.Object({
  limits: AttachmentLimits,
  outboxKey: B64(32),
  /** Content hash of the `evidence` translations, served at /locales/evidence-<lang>.<hash>.json. */
  localeHash: Type.String({ maxLength: 16 }),
}, strict);
export type EvidenceBoot = Static<typeof EvidenceBoot>;
