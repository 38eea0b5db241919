/**
 * The vision observation: the 2×2 street-view grid the model saw at a step, rendered by the
 * main process on demand (`virl:views`, ~5 ms; ~150 kB of base64 per image, too much to ship
 * for every step up front) and drawn pixel for pixel on a canvas scaled with nearest-neighbour.
 */
import { useEffect, useRef, useState } from 'react';
import { getApi } from '../../api/client';
import type { Replayable, StepView } from './model';

/** Recently drawn images, so scrubbing back and forth does not ask again. */
const cache = new Map<string, ImageData>();
const CACHE_SIZE = 64;

function toImageData(width: number, height: number, base64: string): ImageData {
  const bin = atob(base64);
  const out = new ImageData(width, height);
  for (let i = 0, j = 0; i < width * height; i++, j += 3) {
    out.data[i * 4] = bin.charCodeAt(j);
    out.data[i * 4 + 1] = bin.charCodeAt(j + 1);
    out.data[i * 4 + 2] = bin.charCodeAt(j + 2);
    out.data[i * 4 + 3] = 255;
  }
  return out;
}

async function loadViews(r: Replayable, step: StepView): Promise<ImageData> {
  const request = { scene: r.scene, position: step.position, heading: step.heading, ...r.views };
  const key = JSON.stringify([r.routeKey, r.scene.kind === 'route' ? r.scene.styleCity : '', step.position, step.heading, r.views]);
  const hit = cache.get(key);
  if (hit) return hit;
  const img = await getApi().virlViews(request);
  const data = toImageData(img.width, img.height, img.rgb);
  cache.set(key, data);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return data;
}

const LABELS = { prompt: ['front', 'right', 'back', 'left'], reference: ['back left', 'front left', 'front right', 'back right'] } as const;

export function ViewsCanvas({ r, step }: { r: Replayable; step: StepView }) {
  const canvas = useRef<HTMLCanvasElement | null>(null);
  const [error, setError] = useState<string>();
  const [size, setSize] = useState<{ w: number; h: number }>();

  useEffect(() => {
    let live = true;
    loadViews(r, step).then(
      (img) => {
        if (!live || !canvas.current) return;
        canvas.current.width = img.width;
        canvas.current.height = img.height;
        canvas.current.getContext('2d')?.putImageData(img, 0, 0);
        setSize({ w: img.width, h: img.height });
        setError(undefined);
      },
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [r, step]);

  const labels = LABELS[r.views.layout ?? 'prompt'];
  // `sftrl eval --blind` records its actor as "… (blind)": that model read a zeroed image instead.
  const blind = /\(blind\)$/.test(r.episode.actor.name);
  const caption = blind
    ? `2×2 street views at heading ${Math.round(step.heading)}°${size ? `, ${size.w}×${size.h} px` : ''}: a blind evaluation, the model read a zeroed (black) image instead`
    : `2×2 street views at heading ${Math.round(step.heading)}°${size ? `, ${size.w}×${size.h} px` : ''} (what the model saw)`;
  return (
    <figure className="views">
      <div className="views-frame">
        <canvas ref={canvas} className="views-canvas" data-testid="views-canvas" aria-label="Street views: front, right, back, left" style={size ? { aspectRatio: `${size.w} / ${size.h}` } : undefined} />
        {labels.map((l, i) => <span key={l} className={`views-label q${i}`}>{l}</span>)}
      </div>
      {error ? <figcaption className="error-text">{error}</figcaption> : <figcaption className="muted" data-testid="views-caption">{caption}</figcaption>}
    </figure>
  );
}
