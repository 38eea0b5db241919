import { describe, expect, it } from 'vitest';
import { cityScene, generateCity, renderStreetViews, sampleRoute, viewHeadings } from '../../../../shared/tasks/virl/index';
import { measureText, signText } from '../../../../shared/tasks/virl/render/font';

describe('street views', () => {
  const city = generateCity('nyc');
  const scene = cityScene(city);
  const route = sampleRoute(city, 2);
  const at = route.milestones[0]!;

  it('renders a small deterministic 2×2 RGB grid', () => {
    const a = renderStreetViews(scene, at.position, at.heading);
    const b = renderStreetViews(scene, at.position, at.heading);
    expect([a.width, a.height, a.data.length]).toEqual([194, 194, 194 * 194 * 3]);
    expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(true);
    const big = renderStreetViews(scene, at.position, at.heading, { viewSize: 128, gap: 5 });
    expect(big.width).toBe(261);
    // The gap between views is black.
    const mid = (97 * a.width + 96) * 3;
    expect([a.data[mid], a.data[mid + 1], a.data[mid + 2]]).toEqual([0, 0, 0]);
  });

  it('changes with heading, position and city style', () => {
    const base = Buffer.from(renderStreetViews(scene, at.position, at.heading).data);
    expect(base.equals(Buffer.from(renderStreetViews(scene, at.position, at.heading + 90).data))).toBe(false);
    const other = cityScene(generateCity('hong-kong'));
    expect(base.equals(Buffer.from(renderStreetViews({ ...other, landmarks: scene.landmarks, segments: scene.segments }, at.position, at.heading).data))).toBe(false);
  });

  it('orders views as the prompt states, with the reference layout as an option', () => {
    expect(viewHeadings(350, 'prompt')).toEqual([350, 80, 170, 260]);
    expect(viewHeadings(10, 'reference')).toEqual([235, 325, 55, 145]);
  });

  it('draws sign text in per-city glyph styles', () => {
    expect(signText('Café Brûlée & Co.')).toBe('CAFE BRULEE & CO.');
    const nyc = generateCity('nyc').style.font;
    const hk = generateCity('hong-kong').style.font;
    expect(measureText('MUSEUM', nyc)).not.toEqual(measureText('MUSEUM', hk));
  });
});
