/** The vision variant's observation, pixel for pixel: RGB bytes on a canvas, scaled up without smoothing. */
import { useEffect, useRef } from 'react';

/** `rgbBase64` (from the API) or `rgb` (rendered in the page); `caption` replaces the default one. */
export function CardImage({ image, scale = 5, caption }: { image: { width: number; height: number; rgbBase64?: string; rgb?: Uint8Array }; scale?: number; caption?: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const rgb = image.rgb ?? Uint8Array.from(atob(image.rgbBase64 ?? ''), (c) => c.charCodeAt(0));
    const rgba = new ImageData(image.width, image.height);
    for (let p = 0, q = 0; p < rgb.length; p += 3, q += 4) {
      rgba.data[q] = rgb[p] as number;
      rgba.data[q + 1] = rgb[p + 1] as number;
      rgba.data[q + 2] = rgb[p + 2] as number;
      rgba.data[q + 3] = 255;
    }
    ctx.putImageData(rgba, 0, 0);
  }, [image]);
  return (
    <figure className="gp-image">
      <canvas
        ref={ref}
        width={image.width}
        height={image.height}
        style={{ width: image.width * scale, height: image.height * scale }}
        data-testid="card-image"
        aria-label={`The ${image.width}×${image.height} image the model sees`}
      />
      <figcaption className="muted gp-small">
        {caption ?? `${image.width}×${image.height} px RGB, shown ×${scale}: exactly what the model sees, nothing else names the cards.`}
      </figcaption>
    </figure>
  );
}
