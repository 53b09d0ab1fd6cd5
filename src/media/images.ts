// Image decoding and encoding with sharp. The type of an upload is decided by decoding its
// content, never by its name or the Content-Type a client claims.
import type { Metadata, Sharp } from 'sharp';
import { InvalidError } from '../errors.js';

// Loaded at the first image, not at start: most requests and every CLI command but imports need no decoder.
const loadSharp = async () => (await import('sharp')).default;

export const IMAGE_FORMATS = {
  jpeg: { type: 'image/jpeg', ext: 'jpg' },
  png: { type: 'image/png', ext: 'png' },
  webp: { type: 'image/webp', ext: 'webp' },
  gif: { type: 'image/gif', ext: 'gif' },
  avif: { type: 'image/avif', ext: 'avif' },
} as const;
export type ImageFormat = keyof typeof IMAGE_FORMATS;

/** Widths offered to browsers through srcset, besides the original's own. */
export const VARIANT_WIDTHS = [480, 960, 1600] as const;

/**
 * A small file can still decode to a huge bitmap (a decompression bomb): an image with more pixels
 * than this, every frame of an animation counted, is refused from its header, before any decoding,
 * and sharp is told the same limit when it decodes. 40 megapixels is beyond any camera's photo a
 * post needs; decoded, it is at most 160 MB.
 */
export const MAX_PIXELS = 40_000_000;
const MAX_MEGAPIXELS = MAX_PIXELS / 1_000_000;

export interface ImageInfo {
  format: ImageFormat;
  /** Width and height once the EXIF orientation is applied, as readers will see it. */
  width: number;
  height: number;
  animated: boolean;
}

export interface EncodedImage {
  /** 'original' for the full size, else the width, e.g. 'w480'. */
  name: string;
  format: ImageFormat;
  width: number;
  height: number;
  data: Buffer;
}

const NOT_AN_IMAGE = 'The file is not an image we can use: upload a JPEG, PNG, WebP, GIF or AVIF picture.';

/** Decodes the header of `bytes` and names its format, or throws InvalidError. */
export async function inspectImage(bytes: Uint8Array): Promise<ImageInfo> {
  let meta: Metadata;
  try {
    // Only the header is read here, so no limit is needed yet: the size it declares is checked below.
    const sharp = await loadSharp();
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw new InvalidError(NOT_AN_IMAGE, { file: 'not a JPEG, PNG, WebP, GIF or AVIF image' });
  }
  const format = formatOf(meta);
  if (!format || !meta.width || !meta.height) throw new InvalidError(NOT_AN_IMAGE, { file: `${meta.format} images are not accepted` });
  // Read without `animated`, the height is one frame's; decoding an animation decodes every frame.
  const frames = meta.pages ?? 1;
  if (meta.width * meta.height * frames > MAX_PIXELS) throw tooManyPixels(meta.width, meta.height, frames);
  const oriented = meta.autoOrient ?? { width: meta.width, height: meta.height };
  return {
    format,
    width: oriented.width,
    // An animated image reports the height of all its frames stacked; a frame is what readers see.
    height: meta.pageHeight && (meta.pages ?? 1) > 1 ? meta.pageHeight : oriented.height,
    animated: (meta.pages ?? 1) > 1,
  };
}

function tooManyPixels(width: number, height: number, frames: number): InvalidError {
  const megapixels = (width * height * frames) / 1_000_000;
  const size = `${width.toLocaleString('en-US')} × ${height.toLocaleString('en-US')} pixels${frames > 1 ? ` in ${frames} frames` : ''}`;
  return new InvalidError(
    `The image is too large to process: ${size} (${megapixels.toLocaleString('en-US', { maximumFractionDigits: 1 })} megapixels), and the limit is ${MAX_MEGAPIXELS} megapixels. Make it smaller and upload it again.`,
    { file: `at most ${MAX_MEGAPIXELS} megapixels` },
  );
}

function formatOf(meta: Metadata): ImageFormat | undefined {
  // AVIF is read through libheif: same container as HEIC, told apart by its compression.
  if (meta.format === 'heif') return meta.compression === 'av1' ? 'avif' : undefined;
  return meta.format && meta.format in IMAGE_FORMATS ? (meta.format as ImageFormat) : undefined;
}

/**
 * The original re-encoded (which drops EXIF, GPS, XMP, IPTC and ICC data: sharp keeps no metadata
 * unless asked), then each smaller width, each in the original's format and in WebP.
 */
export async function encodeImage(bytes: Uint8Array, info: ImageInfo): Promise<EncodedImage[]> {
  const widths = [...VARIANT_WIDTHS.filter((w) => w < info.width), info.width];
  const formats: ImageFormat[] = info.format === 'webp' ? ['webp'] : [info.format, 'webp'];
  const encoded: EncodedImage[] = [];
  try {
    // One after another: each decodes the image, and a 40-megapixel bitmap takes 160 MB.
    for (const width of widths) {
      for (const format of formats) {
        encoded.push(await encodeOne(bytes, info, width, format, width === info.width ? 'original' : `w${width}`));
      }
    }
  } catch {
    throw new InvalidError('The image could not be decoded: it may be damaged.', { file: 'damaged image' });
  }
  return encoded;
}

async function encodeOne(bytes: Uint8Array, info: ImageInfo, width: number, format: ImageFormat, name: string): Promise<EncodedImage> {
  const sharp = await loadSharp();
  let pipeline = sharp(bytes, { animated: info.animated, limitInputPixels: MAX_PIXELS }).autoOrient();
  if (width !== info.width) pipeline = pipeline.resize({ width, withoutEnlargement: true });
  const { data, info: out } = await encoder(pipeline, format).toBuffer({ resolveWithObject: true });
  return { name, format, width: out.width, height: out.pageHeight ?? out.height, data };
}

function encoder(pipeline: Sharp, format: ImageFormat): Sharp {
  switch (format) {
    case 'jpeg':
      return pipeline.jpeg({ quality: 82, progressive: true });
    case 'png':
      return pipeline.png({ compressionLevel: 8 });
    case 'webp':
      return pipeline.webp({ quality: 80 });
    case 'gif':
      return pipeline.gif();
    case 'avif':
      // Effort 2 keeps an upload within a second or two on a small machine.
      return pipeline.avif({ quality: 55, effort: 2 });
  }
}
