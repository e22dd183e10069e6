// Which files may be attached, and what their first bytes say they are. The phone checks a file
// before encrypting it, the server checks files it receives in clear (no-JavaScript replies), and
// the desk checks again after decrypting: only a file whose bytes match an image or audio type is
// ever shown inline, everything else is offered as a download of opaque bytes.

export type FileKind = 'image' | 'audio' | 'document';

/** The allowed MIME types (PROTOCOL.md §23.4), with their kind and usual extension. */
export const ALLOWED_TYPES: Record<string, { kind: FileKind; ext: string }> = {
  'image/jpeg': { kind: 'image', ext: 'jpg' },
  'image/png': { kind: 'image', ext: 'png' },
  'image/webp': { kind: 'image', ext: 'webp' },
  'image/gif': { kind: 'image', ext: 'gif' },
  'audio/webm': { kind: 'audio', ext: 'webm' },
  'audio/ogg': { kind: 'audio', ext: 'ogg' },
  'audio/mp4': { kind: 'audio', ext: 'm4a' },
  'audio/mpeg': { kind: 'audio', ext: 'mp3' },
  'application/pdf': { kind: 'document', ext: 'pdf' },
  'text/plain': { kind: 'document', ext: 'txt' },
  'application/msword': { kind: 'document', ext: 'doc' },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { kind: 'document', ext: 'docx' },
  'application/vnd.oasis.opendocument.text': { kind: 'document', ext: 'odt' },
  'application/vnd.ms-excel': { kind: 'document', ext: 'xls' },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { kind: 'document', ext: 'xlsx' },
  'application/vnd.oasis.opendocument.spreadsheet': { kind: 'document', ext: 'ods' },
};

/** Photo formats a browser may decode but that cannot be sent as they are: they are re-encoded. */
export const CONVERTIBLE_IMAGE_TYPES = ['image/heic', 'image/heif', 'image/avif', 'image/bmp'];

const startsWith = (bytes: Uint8Array, prefix: number[], at = 0) => prefix.every((b, i) => bytes[at + i] === b);
const ascii = (bytes: Uint8Array, at: number, length: number) => String.fromCharCode(...bytes.subarray(at, at + length));

/**
 * The type a file's first bytes prove, for the formats that have a signature; null when they
 * prove nothing (plain text, or an unknown format).
 */
export function sniffType(bytes: Uint8Array): string | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return 'image/webp';
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return 'image/gif';
  if (ascii(bytes, 4, 4) === 'ftyp') {
    const brand = ascii(bytes, 8, 4);
    if (/^(heic|heix|heim|heis|mif1|msf1|hevc)$/.test(brand)) return 'image/heic';
    if (brand === 'avif') return 'image/avif';
    return 'audio/mp4';
  }
  if (startsWith(bytes, [0x1a, 0x45, 0xdf, 0xa3])) return 'audio/webm';
  if (ascii(bytes, 0, 4) === 'OggS') return 'audio/ogg';
  if (ascii(bytes, 0, 3) === 'ID3' || (bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0)) return 'audio/mpeg';
  if (ascii(bytes, 0, 5) === '%PDF-') return 'application/pdf';
  if (ascii(bytes, 0, 2) === 'BM') return 'image/bmp';
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'application/x-ole';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return 'application/zip';
  return null;
}

/** Types stored in a container of another signature (Office files are ZIP or OLE inside). */
const CONTAINER: Record<string, string> = {
  'application/msword': 'application/x-ole',
  'application/vnd.ms-excel': 'application/x-ole',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'application/zip',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'application/zip',
  'application/vnd.oasis.opendocument.text': 'application/zip',
  'application/vnd.oasis.opendocument.spreadsheet': 'application/zip',
};

/**
 * Whether bytes may be sent (or shown) as `type`: the type is allowed and the bytes agree with
 * it. Text has no signature: it is accepted when it decodes as UTF-8 and has no NUL byte.
 */
export function bytesMatchType(bytes: Uint8Array, type: string): boolean {
  if (!ALLOWED_TYPES[type]) return false;
  const sniffed = sniffType(bytes);
  if (type === 'text/plain') {
    if (sniffed || bytes.includes(0)) return false;
    try { new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, 65_536)); return true; } catch { return false; }
  }
  // WebM audio and video share a signature; a voice note's type says audio.
  return sniffed === type || CONTAINER[type] === sniffed;
}

/** The type to use for a file given its bytes and the type its name or the browser suggests. */
export function allowedTypeFor(bytes: Uint8Array, declared: string, name = ''): string | null {
  const base = declared.split(';')[0]!.trim().toLowerCase();
  if (bytesMatchType(bytes, base)) return base;
  const sniffed = sniffType(bytes);
  if (sniffed && ALLOWED_TYPES[sniffed]) return sniffed;
  const ext = /\.([a-z0-9]{2,5})$/i.exec(name)?.[1]?.toLowerCase();
  const byExt = Object.entries(ALLOWED_TYPES).find(([, v]) => v.ext === ext)?.[0];
  return byExt && bytesMatchType(bytes, byExt) ? byExt : null;
}

export const kindOf = (type: string): FileKind => ALLOWED_TYPES[type]?.kind ?? 'document';

/** A document's own name without folders, control or direction-override characters, at most 200 characters. */
export function safeName(name: string, fallback: string): string {
  const base = (name.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  return (base || fallback).slice(-200);
}

/**
 * A file received in clear (a reply without JavaScript, PROTOCOL.md §26.3): its type proven by its
 * bytes, photos cleaned at the byte level, a neutral name for photos. Null when it may not be sent.
 */
export function cleanReceivedFile(
  bytes: Uint8Array, declared: string, name: string, strip: (bytes: Uint8Array, type: string) => Uint8Array | null,
): { bytes: Uint8Array; type: string; name: string } | null {
  const type = allowedTypeFor(bytes, declared, name);
  if (!type) return null;
  if (kindOf(type) !== 'image') return { bytes, type, name: safeName(name, `file-1.${ALLOWED_TYPES[type]!.ext}`) };
  const clean = strip(bytes, type);
  return clean ? { bytes: clean, type, name: `photo-1.${ALLOWED_TYPES[type]!.ext}` } : null;
}
