// Photo metadata removal at the byte level (protocol/image-metadata.ts) and file type checks
// (protocol/file-types.ts): a JPEG carrying EXIF with GPS, XMP, IPTC, a comment and a trailing
// image comes out with none of them, its pixels untouched and its orientation kept.
import { describe, expect, it } from 'vitest';
import { exifOrientation, stripImageMetadata, stripJpegMetadata, stripPngMetadata, stripWebpMetadata } from '../../protocol/image-metadata.ts';
import { allowedTypeFor, bytesMatchType, sniffType } from '../../protocol/file-types.ts';
import { PHOTO_MARKERS, TINY_JPEG, metadataFound, withMetadata } from '../fixtures/jpeg.ts';

/** The scan data (from the first SOS to the end), which cleaning must not touch. */
const scan = (jpeg: Uint8Array) => Buffer.from(jpeg).subarray(Buffer.from(jpeg).indexOf(Buffer.from([0xff, 0xda])));

function pngWith(chunks: [string, string][]): Uint8Array {
  const chunk = (type: string, data: string) => {
    const body = Buffer.from(data, 'latin1');
    const head = Buffer.alloc(8);
    head.writeUInt32BE(body.length);
    head.write(type, 4, 'latin1');
    return Buffer.concat([head, body, Buffer.alloc(4)]);
  };
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ...chunks.map(([t, d]) => chunk(t, d)), chunk('IEND', '')]);
}

describe('JPEG metadata', () => {
  it('removes EXIF (GPS, make, description, thumbnail), XMP, IPTC, comments and trailing images', () => {
    const photo = withMetadata(TINY_JPEG);
    expect(metadataFound(photo).sort()).toEqual([...Object.keys(PHOTO_MARKERS), 'gps', 'xmp-header'].sort());
    const clean = stripJpegMetadata(photo)!;
    expect(clean).not.toBeNull();
    expect(metadataFound(clean)).toEqual([]);
    expect(Buffer.from(clean).subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
    expect(scan(clean)).toEqual(scan(TINY_JPEG));
    // The ICC colour profile (APP2) and JFIF header stay: they describe how to show the pixels.
    expect(Buffer.from(clean).includes(Buffer.from('ICC_PROFILE'))).toBe(true);
    expect(Buffer.from(clean).subarray(6, 11).toString('latin1')).toBe('JFIF\0');
  });

  it('keeps the orientation, and only it, so the photo is not shown on its side', () => {
    const clean = stripJpegMetadata(withMetadata(TINY_JPEG, 6))!;
    const at = Buffer.from(clean).indexOf(Buffer.from('Exif\0\0', 'latin1'));
    expect(at).toBeGreaterThan(0);
    const length = Buffer.from(clean).readUInt16BE(at - 2);
    expect(length).toBe(34);
    expect(exifOrientation(Uint8Array.from(Buffer.from(clean).subarray(at + 6, at - 2 + length)))).toBe(6);
    // Upright photos get no EXIF at all.
    expect(Buffer.from(stripJpegMetadata(withMetadata(TINY_JPEG, 1))!).includes(Buffer.from('Exif'))).toBe(false);
  });

  it('leaves an already clean JPEG as it was', () => {
    expect(Buffer.from(stripJpegMetadata(TINY_JPEG)!)).toEqual(TINY_JPEG);
  });

  it('refuses what is not a complete JPEG, rather than pass it on', () => {
    expect(stripJpegMetadata(TINY_JPEG.subarray(0, 300))).toBeNull();
    expect(stripJpegMetadata(TINY_JPEG.subarray(0, TINY_JPEG.length - 2))).toBeNull();
    expect(stripJpegMetadata(Buffer.from('not a jpeg'))).toBeNull();
    const badLength = Buffer.from(TINY_JPEG);
    badLength.writeUInt16BE(0xffff, 4);
    expect(stripJpegMetadata(badLength)).toBeNull();
  });
});

describe('PNG and WebP metadata', () => {
  it('drops text, EXIF and time chunks from a PNG and keeps the picture', () => {
    const png = pngWith([['IHDR', 'hdr'], ['tEXt', `Comment\0${PHOTO_MARKERS.comment}`], ['eXIf', `MM\0*${PHOTO_MARKERS.description}`], ['iTXt', PHOTO_MARKERS.xmp], ['tIME', '1234567'], ['IDAT', 'pixels']]);
    const clean = stripPngMetadata(png)!;
    expect(metadataFound(clean)).toEqual([]);
    expect(Buffer.from(clean).includes(Buffer.from('IDATpixels'))).toBe(true);
    expect(stripPngMetadata(png.subarray(0, png.length - 6))).toBeNull();
  });

  it('drops EXIF and XMP chunks from a WebP and clears their flags', () => {
    const chunk = (type: string, data: Buffer) => {
      const head = Buffer.alloc(8);
      head.write(type, 0, 'latin1');
      head.writeUInt32LE(data.length, 4);
      return Buffer.concat([head, data, data.length & 1 ? Buffer.alloc(1) : Buffer.alloc(0)]);
    };
    const body = Buffer.concat([
      chunk('VP8X', Buffer.from([0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0])), chunk('VP8 ', Buffer.from('pixels')),
      chunk('EXIF', Buffer.from(PHOTO_MARKERS.description)), chunk('XMP ', Buffer.from(PHOTO_MARKERS.xmp)),
    ]);
    const head = Buffer.from('RIFF\0\0\0\0WEBP', 'latin1');
    head.writeUInt32LE(body.length + 4, 4);
    const clean = stripWebpMetadata(Buffer.concat([head, body]))!;
    expect(metadataFound(clean)).toEqual([]);
    expect(Buffer.from(clean).readUInt32LE(4)).toBe(clean.length - 8);
    expect(clean[20]! & 0x0c).toBe(0);
    expect(stripImageMetadata(clean, 'image/webp')).toEqual(clean);
  });
});

describe('file types', () => {
  it('trusts the bytes, not the name or the declared type', () => {
    expect(sniffType(TINY_JPEG)).toBe('image/jpeg');
    expect(bytesMatchType(TINY_JPEG, 'image/jpeg')).toBe(true);
    expect(bytesMatchType(TINY_JPEG, 'image/png')).toBe(false);
    expect(allowedTypeFor(TINY_JPEG, 'application/octet-stream', 'x.bin')).toBe('image/jpeg');
    expect(allowedTypeFor(Buffer.from('%PDF-1.7\n'), '', 'letter.pdf')).toBe('application/pdf');
    expect(allowedTypeFor(Buffer.from('plain words'), 'text/plain')).toBe('text/plain');
    // HTML and SVG are never allowed, whatever they claim to be.
    expect(allowedTypeFor(Buffer.from('<svg onload="alert(1)"/>'), 'image/svg+xml', 'a.svg')).toBeNull();
    expect(allowedTypeFor(Buffer.from('<html><script>x</script>'), 'text/html', 'a.html')).toBeNull();
    expect(bytesMatchType(Buffer.from('<html>'), 'text/html')).toBe(false);
    expect(allowedTypeFor(Buffer.from([0x4d, 0x5a, 0x90, 0]), 'application/pdf', 'a.pdf')).toBeNull();
  });
});
