import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createVirlEnv, importVirlRoute, importVirlRoutes, mapGeometry, VirlImportError } from '../../../../shared/tasks/virl/index';
import { geometricHeadings } from '../../../../shared/tasks/virl/import';

const DIR = new URL('../../../fixtures/virl/', import.meta.url);
const FILES = ['route_infos_ny_moma.json', 'route_infos_sf_apple.json'];
const text = (f: string) => readFileSync(new URL(f, DIR), 'utf8');

describe('V-IRL route import', () => {
  it.each(FILES)('imports %s and its instruction matches the file', (f) => {
    const raw = JSON.parse(text(f));
    const route = importVirlRoute(text(f), f);
    const blocks = raw.milestone_info.split('}').filter((b: string) => b.includes('to_next_intersection_heading'));
    expect(route.milestones).toHaveLength(raw.route_results.geocode_list.length);
    const env = createVirlEnv();
    env.reset({ seed: 1, route });
    const sentences = env.rail.sentences;
    blocks.forEach((b: string, k: number) => {
      const landmark = /"landmarks": "(.*)"/.exec(b)![1]!;
      const compass = /"to_next_intersection_heading": "\d+ \((\w+)\)"/.exec(b)![1]!;
      expect(sentences[2 * k]).toMatch(new RegExp(`turn (left|right|slightly left|slightly right) to face ${compass}\\.$`, 'i'));
      expect(sentences[2 * k + 1]).toContain(landmark);
    });
    expect(sentences[sentences.length - 1]).toContain(`The destination ${raw.dest_place.name} is on your`);
    // Projected geometry agrees with the file's headings.
    geometricHeadings(route).forEach((g, k) => expect(g.compass).toBe(route.milestones[k]!.compass));
    while (!env.done) env.step(env.expertAnswer());
    expect(env.success).toBe(true);
  });

  it('writes the exact instruction sentences of the NY route after the random first turn', () => {
    const env = createVirlEnv();
    env.reset({ seed: 3, route: importVirlRoute(text('route_infos_ny_moma.json')) });
    expect(env.rail.sentences.slice(1)).toEqual([
      'Move forward until you reach next intersection where Prince St is on your front.',
      'Turn left to face southwest.',
      'Move forward until you reach next intersection where Aritzia is on your left front.',
      'Turn left to face southeast.',
      'Move forward until you reach destination where The destination MoMA Design Store is on your left.',
    ]);
  });

  it('projects the SF route to metres (Sutter St westwards ≈ 50 m)', () => {
    const route = importVirlRoute(text('route_infos_sf_apple.json'));
    const first = route.milestones[0]!;
    expect(Math.hypot(first.position.x - route.startPosition.x, first.position.y - route.startPosition.y)).toBeGreaterThan(40);
    expect(first.position.x).toBeLessThan(route.startPosition.x);
    expect(first.distance).toBe(50);
    expect(first.landmark).toMatchObject({ name: 'Starbucks', relation: 'left behind' });
    expect(first.streetPath!.length).toBeGreaterThan(1);
    expect(route.initHeading).toBeNull();
    expect(mapGeometry(route).landmarks.map((l) => l.name)).toEqual(['The Whisky Shop of San Francisco', 'Starbucks', 'Apple Union Square']);
  });

  it('accepts the pipeline [routes, dest_idx] form and plain arrays', () => {
    const one = JSON.parse(text('route_infos_ny_moma.json'));
    expect(importVirlRoutes([[one, one], 0])).toHaveLength(2);
    expect(importVirlRoutes([one])).toHaveLength(1);
  });

  const bad = (mutate: (r: any) => unknown): unknown => {
    const r = JSON.parse(text('route_infos_ny_moma.json'));
    const out = mutate(r);
    return out === undefined ? r : out;
  };

  it.each([
    ['truncated JSON', text('route_infos_ny_moma.json').slice(0, 500), /not valid JSON .*truncated/],
    ['not a route', 42, /must hold a route object/],
    ['empty array', [], /holds no routes/],
    ['missing start place', bad((r) => { delete r.start_place; }), /start_place is missing/],
    ['nameless destination', bad((r) => { r.dest_place.name = ''; }), /dest_place\.name must be a non-empty string/],
    ['bad geocode', bad((r) => { r.route_results.geocode_list[1] = ['40.7', -73]; }), /route_results\.geocode_list\[1\] must be \[lat, lng\]/],
    ['out of range', bad((r) => { r.route_results.geocode_list[0] = [140.7, -73]; }), /geocode_list\[0\] is out of range/],
    ['missing milestone_info', bad((r) => { delete r.milestone_info; }), /milestone_info is missing/],
    ['block count mismatch', bad((r) => { r.route_results.geocode_list.pop(); }), /milestone_info has 3 blocks but route_results\.geocode_list has 2/],
    ['bad heading', bad((r) => { r.milestone_info = r.milestone_info.replace('298 (northwest)', 'northwest'); }), /block 1: "to_next_intersection_heading" should look like "259 \(west\)"/],
    ['bad compass', bad((r) => { r.milestone_info = r.milestone_info.replace('(northwest)', '(nowhere)'); }), /"nowhere" is not a compass direction/],
    ['bad polyline', bad((r) => { r.route_results.polyline[0] = '_}pwFdts'; }), /polyline\[0\]: encoded polyline ends/],
    ['second route broken', bad((r) => [[r, { ...r, route_results: null }], 0]), /route 1: route_results is missing/],
  ])('rejects a malformed file: %s', (_name, input, message) => {
    expect(() => importVirlRoutes(input, 'x.json')).toThrow(VirlImportError);
    expect(() => importVirlRoutes(input, 'x.json')).toThrow(message);
    expect(() => importVirlRoutes(input, 'x.json')).toThrow(/^x\.json: /);
  });
});
