// Photos are cleaned on the phone before encryption (PROTOCOL.md §23.5): by default re-drawn on a
// canvas at most 1,600 px on the long side (pixels only: no EXIF, GPS, XMP, thumbnails) and saved
// as JPEG; "the original size" keeps the pixels and removes metadata byte by byte. Without a
// usable canvas, JPEG, PNG and WebP are cleaned byte by byte; anything else is refused.
import { stripImageMetadata, stripJpegMetadata } from '../../protocol/image-metadata.ts';

export const MAX_EDGE = 1600;
export const JPEG_QUALITY = 0.82;
const ORIGINAL_QUALITY = 0.92;

export class CannotClean extends Error {}

async function redraw(bytes: Uint8Array, type: string, maxEdge: number, quality: number): Promise<Uint8Array> {
  const bitmap = await createImageBitmap(new Blob([bytes as BlobPart], { type }), { imageOrientation: 'from-image' });
  const scale = Math.min(1, maxEdge / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  let blob: Blob | null;
  if (typeof OffscreenCanvas !== 'undefined') {
    const canvas = new OffscreenCanvas(width, height);
    const g = canvas.getContext('2d')!;
    g.fillStyle = '#fff';
    g.fillRect(0, 0, width, height);
    g.drawImage(bitmap, 0, 0, width, height);
    blob = await canvas.convertToBlob({ type: 'image/jpeg', quality });
  } else {
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const g = canvas.getContext('2d')!;
    g.fillStyle = '#fff';
    g.fillRect(0, 0, width, height);
    g.drawImage(bitmap, 0, 0, width, height);
    blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
  }
  bitmap.close();
  if (!blob || blob.type !== 'image/jpeg') throw new CannotClean();
  const out = new Uint8Array(await blob.arrayBuffer());
  // A canvas writes no metadata; strip anyway, so this never depends on one browser's encoder.
  return stripJpegMetadata(out) ?? out;
}

/** The cleaned photo and its type. Throws CannotClean when nothing safe can be made of it. */
export async function cleanImage(bytes: Uint8Array, type: string, original: boolean): Promise<{ bytes: Uint8Array; type: string }> {
  if (original) {
    const stripped = stripImageMetadata(bytes, type);
    if (stripped) return { bytes: stripped, type };
  }
  try {
    return { bytes: await redraw(bytes, type, original ? Infinity : MAX_EDGE, original ? ORIGINAL_QUALITY : JPEG_QUALITY), type: 'image/jpeg' };
  } catch {
    const stripped = stripImageMetadata(bytes, type);
    if (stripped) return { bytes: stripped, type };
    throw new CannotClean();
  }
}
