import { describe, expect, it } from 'vitest';
import { createRng } from '../../../../shared/util/rng';
import { buildRail, generateCity, instructionSentences, mapGeometry, numberedInstruction, RELATIONS, sampleRoute, svgPoints } from '../../../../shared/tasks/virl/index';

const city = generateCity('nyc');

describe('routes', () => {
  it('is deterministic in the seed and varies across seeds', () => {
    expect(JSON.stringify(sampleRoute(city, 5))).toBe(JSON.stringify(sampleRoute(city, 5)));
    expect(JSON.stringify(sampleRoute(city, 5))).not.toBe(JSON.stringify(sampleRoute(city, 6)));
  });

  it('has turning milestones with landmark relations and a destination', () => {
    for (let s = 0; s < 30; s++) {
      const r = sampleRoute(city, s);
      expect(r.milestones.length).toBeGreaterThanOrEqual(2);
      const last = r.milestones[r.milestones.length - 1]!;
      expect(last.landmarkText).toBe(`The destination ${r.destination.name} is on your ${last.landmark!.relation}`);
      for (const m of r.milestones.slice(0, -1)) {
        if (m.landmark) {
          expect(RELATIONS).toContain(m.landmark.relation);
          expect(m.landmarkText).toBe(`${m.landmark.name} is on your ${m.landmark.relation}`);
        } else expect(m.landmarkText).toBe('No landmark nearby');
        expect(m.distance).toBeGreaterThan(0);
      }
      // Consecutive segments really turn.
      for (let k = 1; k < r.milestones.length; k++) {
        const d = Math.abs(((r.milestones[k]!.heading - r.milestones[k - 1]!.heading + 540) % 360) - 180);
        expect(d).toBeGreaterThanOrEqual(30);
      }
    }
  });
});

describe('instructions and rail', () => {
  const route = sampleRoute(city, 11);

  it('writes the numbered instruction in the paper form', () => {
    const text = numberedInstruction(instructionSentences(route, 0));
    const lines = text.split('\n');
    expect(lines).toHaveLength(2 * route.milestones.length);
    expect(lines[0]).toMatch(/^1\. First, turn (left|right|slightly left|slightly right) to face (north|northeast|east|southeast|south|southwest|west|northwest)\.$/);
    expect(lines[1]).toMatch(/^2\. Move forward until you reach next intersection( where .+ is on your .+)?\.$/);
    expect(lines[2]).toMatch(/^3\. Turn (left|right|slightly left|slightly right) to face \w+\.$/);
    expect(lines[lines.length - 1]).toMatch(/Move forward until you reach destination where The destination .+ is on your .+\.$/);
  });

  it('has a turn at the start, forward points, turns at milestones and stop() at the destination', () => {
    const rail = buildRail(route, createRng(1));
    const kinds = rail.points.map((p) => p.kind);
    expect(kinds[0]).toBe('start');
    expect(kinds[kinds.length - 1]).toBe('destination');
    expect(rail.points[rail.points.length - 1]!.expertAbsolute).toBe('stop()');
    expect(kinds.filter((k) => k === 'milestone')).toHaveLength(route.milestones.length - 1);
    for (const p of rail.points) {
      if (p.kind === 'forward') expect(p.expertAbsolute).toBe('forward()');
      if (p.kind === 'milestone') {
        expect(p.atIntersection).toBe(true);
        expect(p.expertAbsolute).toMatch(/^turn_direction\(\w+\)$/);
        expect(rail.sentences[p.instructionIndex]).toMatch(/^Turn /);
      }
      if (p.kind === 'forward') expect(rail.sentences[p.instructionIndex]).toMatch(/^Move forward/);
    }
    expect(rail.points[0]!.expertAbsolute).toBe(`turn_direction(${route.milestones[0]!.compass})`);
  });

  it('drops forward points at the configured rate', () => {
    let none = 0, all = 0, half = 0;
    for (let s = 0; s < 20; s++) {
      none += buildRail(route, createRng(s), { dropRate: 1 }).points.filter((p) => p.kind === 'forward').length;
      all += buildRail(route, createRng(s), { dropRate: 0 }).points.filter((p) => p.kind === 'forward').length;
      half += buildRail(route, createRng(s)).points.filter((p) => p.kind === 'forward').length;
    }
    expect(none).toBe(0);
    expect(all).toBeGreaterThan(0);
    expect(half / all).toBeGreaterThan(0.3);
    expect(half / all).toBeLessThan(0.7);
  });

  it('gives map geometry a viewer can draw directly', () => {
    const rail = buildRail(route, createRng(1));
    const g = mapGeometry(route, { rail });
    expect(g.streets.length).toBeGreaterThan(10);
    expect(g.landmarks.filter((l) => l.onRoute).length).toBeGreaterThanOrEqual(2);
    expect(g.routePath[0]).toEqual(route.startPosition);
    expect(g.routePath[g.routePath.length - 1]).toEqual(route.milestones[route.milestones.length - 1]!.position);
    expect(g.rail).toHaveLength(rail.points.length);
    for (const p of g.routePath) {
      expect(p.x).toBeGreaterThanOrEqual(g.routeBounds.minX);
      expect(p.y).toBeLessThanOrEqual(g.bounds.maxY);
    }
    expect(svgPoints([{ x: 1, y: 2 }, { x: 3.456, y: -4 }])).toBe('1,-2 3.46,4');
  });
});

describe('reference instruction indexing', () => {
  it('labels stop() after a last segment of 5 m or less with the sentence the reference gives it', () => {
    const route = structuredClone(sampleRoute(city, 5));
    const ms = route.milestones;
    const k = ms.length - 1;
    const before = ms[k - 1]!.position;
    // The destination 3 m past the last turn: a segment too short for forward points.
    ms[k] = { ...ms[k]!, position: { ...before, x: before.x + 3 }, distance: 3, path: [before, { ...before, x: before.x + 3 }] };
    const stop = (indexing: 'intent' | 'reference') => buildRail(route, createRng(1), { instructionIndexing: indexing }).points.find((p) => p.kind === 'destination')!;
    const rail = buildRail(route, createRng(1), { instructionIndexing: 'reference' });
    const skippedBefore = rail.points.filter((p) => p.kind === 'milestone').reduce((s, p) => Math.max(s, 2 * (p.segment + 1) - p.instructionIndex), 0);
    expect(stop('intent').instructionIndex).toBe(2 * k + 1);
    // The short last segment counts as skipped too: one sentence earlier than before it.
    expect(stop('reference').instructionIndex).toBe(2 * k + 1 - skippedBefore - 1);
  });
});
