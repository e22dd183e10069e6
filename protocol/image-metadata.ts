// Removes what a photo says about itself beyond its pixels: EXIF (with GPS, camera, times and the
// embedded thumbnail), XMP, IPTC, comments, maker data, and extra images appended after the
// picture. Byte-level, no decoding: the phone uses it when it sends an original or has no canvas,
// and the server uses it on files it receives in clear. An allowlist: what is not known to be
// harmless is dropped. JPEG keeps only its orientation (rewritten as a one-tag EXIF block).

const SOI = 0xd8, EOI = 0xd9, SOS = 0xda, APP0 = 0xe0, APP1 = 0xe1, APP2 = 0xe2, APP14 = 0xee;

const text = (bytes: Uint8Array, at: number, length: number) => String.fromCharCode(...bytes.subarray(at, at + length));

/** The EXIF Orientation (1–8) of a TIFF block, or 1 when absent or unreadable. */
export function exifOrientation(tiff: Uint8Array): number {
  if (tiff.length < 8) return 1;
  const little = text(tiff, 0, 2) === 'II';
  if (!little && text(tiff, 0, 2) !== 'MM') return 1;
  const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  const u16 = (at: number) => view.getUint16(at, little);
  const ifd = view.getUint32(4, little);
  if (ifd + 2 > tiff.length) return 1;
  const count = u16(ifd);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > tiff.length) return 1;
    if (u16(entry) === 0x0112 && u16(entry + 2) === 3) {
      const value = u16(entry + 8);
      return value >= 1 && value <= 8 ? value : 1;
    }
  }
  return 1;
}

/** An APP1 segment holding only an Orientation tag: the rotation a viewer needs, nothing else. */
function orientationSegment(orientation: number): Uint8Array {
  const payload = [
    ...[0x45, 0x78, 0x69, 0x66, 0, 0], // "Exif\0\0"
    ...[0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8], // big-endian TIFF, IFD0 at 8
    0, 1, // one entry
    0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0, // Orientation, SHORT, 1 value
    0, 0, 0, 0, // no next IFD
  ];
  const length = payload.length + 2;
  return Uint8Array.from([0xff, APP1, length >> 8, length & 0xff, ...payload]);
}

function keepJpegSegment(marker: number, payload: Uint8Array): boolean {
  if (marker === APP0) return text(payload, 0, 5) === 'JFIF\0'; // not JFXX: that one is a thumbnail
  if (marker === APP2) return text(payload, 0, 12) === 'ICC_PROFILE\0';
  if (marker === APP14) return text(payload, 0, 5) === 'Adobe';
  if (marker >= 0xe0 && marker <= 0xef) return false; // EXIF, XMP, IPTC, MPF, maker segments
  return marker !== 0xfe; // COM
}

/**
 * A JPEG without metadata, or null if the bytes are not a complete JPEG (then nothing may be
 * sent as it is). Scan data is copied unchanged; anything after the end-of-image marker goes.
 */
export function stripJpegMetadata(bytes: Uint8Array): Uint8Array | null {
  if (bytes[0] !== 0xff || bytes[1] !== SOI) return null;
  const out: Uint8Array[] = [bytes.subarray(0, 2)];
  let orientation = 1;
  let afterApp0 = 1;
  let i = 2;
  for (;;) {
    if (bytes[i] !== 0xff) return null;
    while (bytes[i] === 0xff) i++;
    const marker = bytes[i++];
    if (marker === undefined) return null;
    if (marker === EOI) {
      out.push(Uint8Array.of(0xff, EOI));
      break;
    }
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) { out.push(Uint8Array.of(0xff, marker)); continue; }
    if (i + 2 > bytes.length) return null;
    const length = (bytes[i]! << 8) | bytes[i + 1]!;
    if (length < 2 || i + length > bytes.length) return null;
    const payload = bytes.subarray(i + 2, i + length);
    if (marker === APP1 && text(payload, 0, 6) === 'Exif\0\0') orientation = exifOrientation(payload.subarray(6));
    if (keepJpegSegment(marker, payload)) {
      out.push(bytes.subarray(i - 2, i + length));
      if (marker === APP0 && out.length === 2) afterApp0 = 2;
    }
    i += length;
    if (marker === SOS) {
      // Entropy-coded data runs to the next marker that is neither a stuffed 0xFF00 nor a restart.
      let j = i;
      while (j + 1 < bytes.length && !(bytes[j] === 0xff && bytes[j + 1] !== 0 && !(bytes[j + 1]! >= 0xd0 && bytes[j + 1]! <= 0xd7))) j++;
      if (j + 1 >= bytes.length) return null;
      out.push(bytes.subarray(i, j));
      i = j;
    }
  }
  if (orientation !== 1) out.splice(afterApp0, 0, orientationSegment(orientation));
  return concat(out);
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Chunks that describe pixels and colour; text, EXIF, times and private chunks are dropped. */
const PNG_KEEP = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND', 'tRNS', 'gAMA', 'cHRM', 'sRGB', 'iCCP', 'sBIT', 'bKGD', 'pHYs']);

/** A PNG without metadata chunks, or null if the bytes are not a complete PNG. */
export function stripPngMetadata(bytes: Uint8Array): Uint8Array | null {
  if (!PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Uint8Array[] = [bytes.subarray(0, 8)];
  let i = 8;
  while (i + 12 <= bytes.length) {
    const length = view.getUint32(i);
    const type = text(bytes, i + 4, 4);
    const end = i + 12 + length;
    if (end > bytes.length) return null;
    if (PNG_KEEP.has(type)) out.push(bytes.subarray(i, end));
    i = end;
    if (type === 'IEND') return concat(out);
  }
  return null;
}

/** A WebP without its EXIF and XMP chunks (and their flags), or null if not a complete WebP. */
export function stripWebpMetadata(bytes: Uint8Array): Uint8Array | null {
  if (text(bytes, 0, 4) !== 'RIFF' || text(bytes, 8, 4) !== 'WEBP') return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = 8 + view.getUint32(4, true);
  if (end > bytes.length) return null;
  const out: Uint8Array[] = [];
  let i = 12;
  while (i + 8 <= end) {
    const type = text(bytes, i, 4);
    const next = i + 8 + view.getUint32(i + 4, true) + (view.getUint32(i + 4, true) & 1);
    if (next > end) return null;
    if (type === 'VP8X') {
      const chunk = bytes.slice(i, next);
      chunk[8] = chunk[8]! & ~0x0c; // the "has EXIF" and "has XMP" flags
      out.push(chunk);
    } else if (type !== 'EXIF' && type !== 'XMP ') {
      out.push(bytes.subarray(i, next));
    }
    i = next;
  }
  const body = concat(out);
  const header = new Uint8Array(12);
  header.set(bytes.subarray(0, 12));
  new DataView(header.buffer).setUint32(4, body.length + 4, true);
  return concat([header, body]);
}

/** Strips by sniffed format; null when the bytes are not a complete JPEG, PNG or WebP. */
export function stripImageMetadata(bytes: Uint8Array, type: string): Uint8Array | null {
  if (type === 'image/jpeg') return stripJpegMetadata(bytes);
  if (type === 'image/png') return stripPngMetadata(bytes);
  if (type === 'image/webp') return stripWebpMetadata(bytes);
  return null;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
