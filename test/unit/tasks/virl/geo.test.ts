import { describe, expect, it } from 'vitest';
import { bearing, compassName, projectLatLng, relationOf, relativeTurn, signedDelta } from '../../../../shared/tasks/virl/geo';

describe('headings', () => {
  it('names the nearest of the 8 compass directions', () => {
    expect([0, 22, 23, 90, 180, 259, 298, 337.4, 337.6, 359].map(compassName)).toEqual([
      'north', 'north', 'northeast', 'east', 'south', 'west', 'northwest', 'northwest', 'north', 'north',
    ]);
  });

  it('computes compass bearings in an east/north frame', () => {
    expect(bearing({ x: 0, y: 0 }, { x: 0, y: 10 })).toBeCloseTo(0);
    expect(bearing({ x: 0, y: 0 }, { x: 10, y: 0 })).toBeCloseTo(90);
    expect(bearing({ x: 0, y: 0 }, { x: -10, y: -10 })).toBeCloseTo(225);
  });

  it('labels spatial relations relative to the facing heading', () => {
    expect(relationOf(90, 90)).toBe('front');
    expect(relationOf(90, 180)).toBe('right');
    expect(relationOf(350, 300)).toBe('left front');
    expect(relationOf(10, 190)).toBe('behind');
    expect(relationOf(0, 225)).toBe('left behind');
  });
});

describe('relative turn labels', () => {
  it('follows the reference thresholds', () => {
    expect(relativeTurn(0, 90)).toBe('right');
    expect(relativeTurn(90, 0)).toBe('left');
    expect(relativeTurn(100, 130)).toBe('slightly right');
    expect(relativeTurn(100, 70)).toBe('slightly left');
    expect(relativeTurn(100, 100)).toBe('slightly left');
    expect(relativeTurn(0, 45)).toBe('slightly right');
    expect(relativeTurn(0, 46)).toBe('right');
  });

  it('wraps across 0/360 by default: 350° → 10° is slightly right', () => {
    expect(signedDelta(350, 10)).toBeCloseTo(20);
    expect(relativeTurn(350, 10)).toBe('slightly right');
    expect(relativeTurn(10, 350)).toBe('slightly left');
    expect(relativeTurn(300, 20)).toBe('right');
  });

  it('keeps the reference raw-difference behaviour as a named option', () => {
    expect(relativeTurn(350, 10, 'reference')).toBe('left');
    expect(relativeTurn(10, 350, 'reference')).toBe('right');
    expect(relativeTurn(100, 130, 'reference')).toBe('slightly right');
  });
});

describe('lat/lng projection', () => {
  it('projects to metres around the origin', () => {
    const p = projectLatLng({ lat: 40.7, lng: -74 }, 40.701, -74);
    expect(p.x).toBeCloseTo(0);
    expect(p.y).toBeCloseTo(111.2, 0);
    const q = projectLatLng({ lat: 40.7, lng: -74 }, 40.7, -73.999);
    expect(q.x).toBeCloseTo(84.3, 0);
  });
});
