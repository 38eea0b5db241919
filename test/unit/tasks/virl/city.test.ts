import { describe, expect, it } from 'vitest';
import { COMPASS, compassName, generateCity, listCities, sampleRoute } from '../../../../shared/tasks/virl/index';
import { bearing } from '../../../../shared/tasks/virl/geo';

describe('cities', () => {
  it('lists one training city and at least eight visual-OOD cities', () => {
    const cities = listCities();
    expect(cities.filter((c) => c.split === 'id').map((c) => c.id)).toEqual(['nyc']);
    expect(cities.filter((c) => c.split === 'ood').length).toBeGreaterThanOrEqual(8);
    expect(new Set(cities.map((c) => c.id)).size).toBe(cities.length);
  });

  it('is deterministic and distinct per city', () => {
    const a = generateCity('london');
    expect(JSON.stringify(generateCity('london', { fresh: true }))).toBe(JSON.stringify(a));
    expect(generateCity('London')).toBe(a);
    expect(JSON.stringify(generateCity('milan').landmarks.slice(0, 5))).not.toBe(JSON.stringify(a.landmarks.slice(0, 5)));
    const styles = new Set(listCities().map((c) => JSON.stringify(generateCity(c.id).style)));
    expect(styles.size).toBe(listCities().length);
  });

  it('has streets in all 8 compass directions in every city, not only a square grid', () => {
    for (const { id } of listCities()) {
      const city = generateCity(id);
      const dirs = new Set<string>();
      for (const e of city.edges) {
        const a = city.nodes[e.a]!.position;
        const b = city.nodes[e.b]!.position;
        dirs.add(compassName(bearing(a, b)));
        dirs.add(compassName(bearing(b, a)));
      }
      expect([...dirs].sort(), id).toEqual([...COMPASS].sort());
    }
  });

  it('route segments head in all 8 directions across generated cities', () => {
    const dirs = new Set<string>();
    for (const { id } of listCities()) for (let s = 0; s < 10; s++) for (const m of sampleRoute(generateCity(id), s).milestones) dirs.add(m.compass);
    expect(dirs.size).toBe(8);
  });

  it('places uniquely named landmarks of many kinds, set back from the streets', () => {
    const city = generateCity('nyc');
    expect(city.landmarks.length).toBeGreaterThan(100);
    expect(new Set(city.landmarks.map((l) => l.name)).size).toBe(city.landmarks.length);
    expect(new Set(city.landmarks.map((l) => l.kind)).size).toBeGreaterThanOrEqual(10);
    for (const l of city.landmarks.slice(0, 20)) {
      const d = Math.hypot(l.position.x - l.streetPoint.x, l.position.y - l.streetPoint.y);
      expect(d).toBeCloseTo(11);
    }
    expect(city.intersections.length).toBeGreaterThan(30);
  });

  it('builds cities from bare seeds and rejects unknown names with the known list', () => {
    expect(generateCity(42).id).toBe('seed-42');
    expect(generateCity('seed-42')).toBe(generateCity(42));
    expect(() => generateCity('paris')).toThrow(/unknown city "paris"; known: nyc/);
  });
});
