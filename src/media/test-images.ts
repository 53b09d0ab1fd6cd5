// Images for tests of the pixel limit: a real one just past it, and a tiny file whose header
// declares billions of pixels (what a decompression bomb looks like before it is decoded).
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { MAX_PIXELS } from './images.js';

/** A real PNG of 8,000 × 5,001 pixels: 8,000 more than the limit, small on disk (one colour). */
export async function pngJustPastLimit(): Promise<Buffer> {
  const width = 8000;
  const height = Math.floor(MAX_PIXELS / width) + 1;
  return sharp({ create: { width, height, channels: 3, background: '#7a5c3e' } })
    .png({ compressionLevel: 9 })
    .toBuffer();
}

/** A 1×1 PNG whose header is rewritten to claim `width` × `height` (its data stays one pixel's). */
export async function pngDeclaring(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(
    await sharp({ create: { width: 1, height: 1, channels: 3, background: '#000' } })
      .png()
      .toBuffer(),
  );
  // The IHDR chunk follows the 8-byte signature: length (4), type (4), width (4), height (4), ..., CRC.
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}
