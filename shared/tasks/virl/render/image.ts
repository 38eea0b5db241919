/** A plain RGB raster (3 bytes per pixel, row-major) and the few drawing primitives the views use. */
import type { RgbImage } from '../../image';
import type { Rgb } from '../style';

export type { RgbImage };

export function createImage(width: number, height: number, fill: Rgb = [0, 0, 0]): RgbImage {
  const img = { width, height, data: new Uint8Array(width * height * 3) };
  fillRect(img, 0, 0, width, height, fill);
  return img;
}

export function setPixel(img: RgbImage, x: number, y: number, c: Rgb): void {
  if (x < 0 || y < 0 || x >= img.width || y >= img.height) return;
  const i = (y * img.width + x) * 3;
  img.data[i] = c[0];
  img.data[i + 1] = c[1];
  img.data[i + 2] = c[2];
}

/** Fills the rectangle [x, x+w) × [y, y+h), clipped to the image; coordinates are rounded. */
export function fillRect(img: RgbImage, x: number, y: number, w: number, h: number, c: Rgb): void {
  const x0 = Math.max(0, Math.round(x));
  const y0 = Math.max(0, Math.round(y));
  const x1 = Math.min(img.width, Math.round(x + w));
  const y1 = Math.min(img.height, Math.round(y + h));
  for (let yy = y0; yy < y1; yy++) {
    let i = (yy * img.width + x0) * 3;
    for (let xx = x0; xx < x1; xx++, i += 3) {
      img.data[i] = c[0];
      img.data[i + 1] = c[1];
      img.data[i + 2] = c[2];
    }
  }
}

/** Outline of a rectangle, one pixel wide. */
export function strokeRect(img: RgbImage, x: number, y: number, w: number, h: number, c: Rgb): void {
  fillRect(img, x, y, w, 1, c);
  fillRect(img, x, y + h - 1, w, 1, c);
  fillRect(img, x, y, 1, h, c);
  fillRect(img, x + w - 1, y, 1, h, c);
}

/** Copies `src` into `dst` with its top-left corner at (x, y). */
export function blit(dst: RgbImage, src: RgbImage, x: number, y: number): void {
  for (let yy = 0; yy < src.height; yy++) {
    const ty = y + yy;
    if (ty < 0 || ty >= dst.height) continue;
    const x0 = Math.max(0, -x);
    const x1 = Math.min(src.width, dst.width - x);
    if (x1 <= x0) continue;
    dst.data.set(src.data.subarray((yy * src.width + x0) * 3, (yy * src.width + x1) * 3), ((ty * dst.width) + x + x0) * 3);
  }
}

/** Linear mix of two colours, t in [0, 1]. */
export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [Math.round(a[0] + (b[0] - a[0]) * t), Math.round(a[1] + (b[1] - a[1]) * t), Math.round(a[2] + (b[2] - a[2]) * t)];
}

/** The colour scaled towards black (f < 1) or white (f > 1). */
export function shade(c: Rgb, f: number): Rgb {
  return f <= 1 ? mix([0, 0, 0], c, f) : mix(c, [255, 255, 255], Math.min(1, f - 1));
}
