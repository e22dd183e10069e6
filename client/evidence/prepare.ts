// From a chosen file to what is sent (PROTOCOL.md §23): check its type by its bytes, clean and
// shrink photos, name photos and voice notes neutrally, encrypt under a fresh key, and draw the
// upload id. Only the encrypted Blob ever leaves memory; the preview is an object URL of the
// cleaned file, for this page only.
import { encryptFile } from '../../protocol/attachment.ts';
import { toBase64Url } from '../../protocol/encoding.ts';
import type { AttachmentLimits, AttachmentRef } from '../../protocol/evidence-api.ts';
import { ALLOWED_TYPES, CONVERTIBLE_IMAGE_TYPES, allowedTypeFor, kindOf, safeName, sniffType, type FileKind } from '../../protocol/file-types.ts';
import { CannotClean, cleanImage } from './clean-image.ts';

export interface PreparedFile {
  ref: AttachmentRef;
  kind: FileKind;
  /** The encrypted file (§23.2), as uploaded. */
  blob: Blob;
  /** An object URL of the cleaned file, for a preview on this page (revoke when dropped). */
  preview?: string;
}

export type PrepareProblem = 'tooLarge' | 'typeNotAllowed' | 'cannotClean';
export class PrepareError extends Error {
  constructor(readonly problem: PrepareProblem) { super(problem); }
}

const randomId = () => toBase64Url(crypto.getRandomValues(new Uint8Array(16)));

/**
 * `n`: the file's number among those of its kind, for neutral names (photo-2.jpg).
 * `voice`: a recording made on this page.
 */
export async function prepareFile(
  file: Blob & { name?: string }, options: { original: boolean; n: number; voice?: boolean; limits: AttachmentLimits },
): Promise<PreparedFile> {
  // Photos shrink when cleaned; anything else must fit as it is (checked before reading it all).
  if (file.size > Math.max(options.limits.maxFileBytes, 0) * (file.type.startsWith('image/') ? 5 : 1)) throw new PrepareError('tooLarge');
  let bytes: Uint8Array = new Uint8Array(await file.arrayBuffer());
  const sniffed = sniffType(bytes);
  const convertible = sniffed !== null && CONVERTIBLE_IMAGE_TYPES.includes(sniffed);
  let type = convertible ? sniffed : allowedTypeFor(bytes, file.type, file.name ?? '');
  if (!type) throw new PrepareError('typeNotAllowed');
  let name: string;
  if (convertible || kindOf(type) === 'image') {
    try {
      ({ bytes, type } = await cleanImage(bytes, type, options.original));
    } catch (err) {
      if (err instanceof CannotClean) throw new PrepareError('cannotClean');
      throw err;
    }
    name = `photo-${options.n}.${ALLOWED_TYPES[type]!.ext}`;
  } else if (options.voice) {
    name = `voice-note-${options.n}.${ALLOWED_TYPES[type]!.ext}`;
  } else {
    name = safeName(file.name ?? '', `file-${options.n}.${ALLOWED_TYPES[type]!.ext}`);
  }
  const { key, parts, size } = await encryptFile(bytes);
  if (size > options.limits.maxFileBytes) throw new PrepareError('tooLarge');
  const kind = kindOf(type);
  return {
    ref: { id: randomId(), key: toBase64Url(key), name, type, size: bytes.length },
    kind,
    blob: new Blob(parts as BlobPart[], { type: 'application/octet-stream' }),
    preview: kind === 'image' || kind === 'audio' ? URL.createObjectURL(new Blob([bytes as BlobPart], { type })) : undefined,
  };
}

export function forget(files: PreparedFile[]): void {
  for (const f of files) if (f.preview) URL.revokeObjectURL(f.preview);
}
