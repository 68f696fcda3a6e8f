/**
 * Reading QR codes in the browser with jsQR (Apache-2.0): from pixels (a camera frame, a canvas) and from an
 * image file (a photo or screenshot of a device's votes code). Images are scaled to at most 1600 px on the
 * long side first: jsQR is slow on large photos and a code on a phone screen survives the scaling.
 */
export type QrReader = (data: Uint8ClampedArray, width: number, height: number) => string | null;

let reader: Promise<QrReader> | null = null;

/**
 * The reader: the text of the QR code in some pixels, or null. jsQR is loaded on first use, so the game page
 * that phones load stays without it (only the organiser reads codes).
 */
export function qrReader(): Promise<QrReader> {
  reader ??= import('jsqr').then(
    ({ default: jsQR }) =>
      (data, width, height) =>
        jsQR(data, width, height, { inversionAttempts: 'attemptBoth' })?.data ?? null,
  );
  return reader;
}

/** Pixels of a drawable (image, video frame, canvas) scaled to at most `maxSide` px. */
export function pixelsOf(src: CanvasImageSource, w: number, h: number, maxSide = 1600): ImageData {
  const k = Math.min(1, maxSide / Math.max(w, h));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(w * k));
  canvas.height = Math.max(1, Math.round(h * k));
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('this browser cannot draw images (no 2D canvas)');
  ctx.drawImage(src, 0, 0, canvas.width, canvas.height);
  return ctx.getImageData(0, 0, canvas.width, canvas.height);
}

/** The QR code text in an image file; throws naming the file when it cannot be read or holds no code. */
export async function readQrFromImage(file: Blob, name: string): Promise<string> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new Error(`${name}: not an image this browser can read`);
  }
  try {
    const readQr = await qrReader();
    const px = pixelsOf(bitmap, bitmap.width, bitmap.height);
    const text = readQr(px.data, px.width, px.height);
    if (text === null) throw new Error(`${name}: no QR code found — photograph the code straight on, filling most of the picture`);
    return text;
  } finally {
    bitmap.close();
  }
}
