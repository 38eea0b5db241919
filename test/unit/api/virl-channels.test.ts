/**
 * The V-IRL map viewer channels through `dispatch`, as the renderer calls them: valid requests
 * give replayable episodes and maps, malformed route files give bad requests naming their fault.
 * (Bad payloads of every field are in bad-payloads/virl.ts, run by contract.test.ts.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch, MAX_PAYLOAD_BYTES } from '../../../electron/api/dispatch';
import type { VirlEpisodeView } from '../../../shared/api/channels/virl';
import { MAX_ROUTE_FILE_CHARS } from '../../../shared/api/channels/virl';
import type { Response } from '../../../shared/api/contract';
import type { MapGeometry, Rail, VirlRoute } from '../../../shared/tasks/virl/index';
import { testContext } from '../../helpers/api';

const FIXTURES = path.resolve('test/fixtures/virl');
const MOMA = fs.readFileSync(path.join(FIXTURES, 'route_infos_ny_moma.json'), 'utf8');
const APPLE = fs.readFileSync(path.join(FIXTURES, 'route_infos_sf_apple.json'), 'utf8');

describe('V-IRL map viewer channels', () => {
  let t: ReturnType<typeof testContext>;
  beforeEach(() => (t = testContext()));
  afterEach(() => t.cleanup());

  async function call<T>(channel: string, payload: unknown): Promise<T> {
    const r = await dispatch(t.ctx, channel, payload);
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    // What crosses IPC or the WebSocket is JSON: check the data survives it.
    return JSON.parse(JSON.stringify(r.data)) as T;
  }
  const route = (seed = 3, extra: object = {}) => call<VirlEpisodeView>('virl:route', { city: 'nyc', seed, actionSpace: 'absolute', observation: 'text', ...extra });

  it('lists the training city and eight OOD cities', async () => {
    const cities = await call<Response<'virl:cities'>>('virl:cities', {});
    expect(cities.filter((c) => c.split === 'id').map((c) => c.id)).toEqual(['nyc']);
    expect(cities.filter((c) => c.split === 'ood').length).toBeGreaterThanOrEqual(8);
  });

  it('generates a route with an expert episode and the map of its city, deterministically', async () => {
    const view = await route();
    const { episode, map } = view;
    expect(episode.envId).toBe('VirlNav-v0');
    expect(episode.success).toBe(true);
    expect(episode.steps.every((s) => s.verdict === 'correct')).toBe(true);
    const rail = episode.initial.rail as Rail;
    expect(episode.steps.length).toBe(rail.points.length);
    expect(map.rail.length).toBe(rail.points.length);
    expect(map.streets.length).toBeGreaterThan(10);
    expect(map.landmarks.filter((l) => l.onRoute).length).toBeGreaterThanOrEqual(2);
    expect(map.routePath.length).toBeGreaterThanOrEqual(2);
    const again = await route();
    expect({ ...again.episode, createdAt: '' }).toEqual({ ...episode, createdAt: '' });
    const other = await route(4, { actionSpace: 'relative', observation: 'vision' });
    expect(other.episode.variant).toMatchObject({ actionSpace: 'relative', observation: 'vision', city: 'nyc' });
    expect(other.episode.split).toBe('ood');
  });

  it('imports both real route files and replays the expert on them', async () => {
    for (const [fileName, text, dest] of [['route_infos_ny_moma.json', MOMA, 'MoMA Design Store'], ['route_infos_sf_apple.json', APPLE, null]] as const) {
      const res = await call<Response<'virl:import'>>('virl:import', { fileName, text });
      expect(res.routes).toHaveLength(1);
      expect(res.view.episode.success).toBe(true);
      expect(res.view.episode.split).toBe('ood');
      const r = res.view.episode.initial.route as VirlRoute;
      expect(r.source).toMatchObject({ kind: 'imported', fileName });
      if (dest) expect(res.view.map.landmarks.map((l) => l.name)).toContain(dest);
      expect(res.routes[0]?.destination).toBe(r.destination.name);
    }
  });

  it('picks one route of a multi-route file and summarises all of them', async () => {
    const text = JSON.stringify([JSON.parse(MOMA), JSON.parse(APPLE)]);
    const res = await call<Response<'virl:import'>>('virl:import', { fileName: 'two.json', text, index: 1, actionSpace: 'relative' });
    expect(res.routes.map((r) => r.index)).toEqual([0, 1]);
    expect(res.index).toBe(1);
    expect((res.view.episode.initial.route as VirlRoute).destination.name).toBe(res.routes[1]?.destination);
    const out = await dispatch(t.ctx, 'virl:import', { fileName: 'two.json', text, index: 2 });
    expect(!out.ok && out.error).toMatchObject({ code: 'bad_request', message: 'virl:import: index: two.json has 2 route(s); there is no route 2' });
  });

  it('refuses malformed route files as bad requests naming the file and the field', async () => {
    const broken = JSON.parse(MOMA) as Record<string, unknown>;
    const cases: Array<[string, RegExp]> = [
      [MOMA.slice(0, MOMA.length / 2), /moma\.json: not valid JSON .*truncated/],
      [JSON.stringify({ ...broken, milestone_info: 42 }), /moma\.json: milestone_info is missing or not a string/],
      [JSON.stringify([broken, { ...broken, start_place: { ...(broken.start_place as object), geocode: [999, 0] } }]), /moma\.json: route 1: start_place\.geocode is out of range/],
    ];
    for (const [text, message] of cases) {
      const out = await dispatch(t.ctx, 'virl:import', { fileName: 'moma.json', text });
      expect(out.ok).toBe(false);
      if (out.ok) continue;
      expect(out.error.code).toBe('bad_request');
      expect(out.error.message).toMatch(/^virl:import: text: /);
      expect(out.error.message).toMatch(message);
    }
  });

  it('keeps the largest accepted route file under the transport message cap', () => {
    const routes = [];
    for (let i = 0; JSON.stringify(routes).length < MAX_ROUTE_FILE_CHARS - MOMA.length; i++) routes.push(JSON.parse(MOMA));
    const text = JSON.stringify(routes);
    expect(JSON.stringify({ id: 1, channel: 'virl:import', payload: { fileName: 'x.json', text } }).length).toBeLessThan(MAX_PAYLOAD_BYTES);
  });

  it('runs a random policy on the same route and rail for A/B, and the expert on an imported route', async () => {
    const a = await route(5);
    const r = a.episode.initial.route as VirlRoute;
    const b = await call<VirlEpisodeView>('virl:episode', { route: r, seed: 5, actionSpace: 'absolute', observation: 'text', policy: 'random', policySeed: 1 });
    expect(b.episode.initial.rail).toEqual(a.episode.initial.rail);
    expect(b.episode.actor).toEqual({ kind: 'random', name: 'random (seed 1)' });
    expect(b.episode.steps.some((s) => s.verdict !== 'correct')).toBe(true);
    expect(b.map.routePath).toEqual(a.map.routePath);

    const imported = (await call<Response<'virl:import'>>('virl:import', { fileName: 'moma.json', text: MOMA })).view;
    const again = await call<VirlEpisodeView>('virl:episode', {
      route: imported.episode.initial.route, seed: 0, actionSpace: 'absolute', observation: 'text', policy: 'expert',
    });
    expect(again.episode.initial.rail).toEqual(imported.episode.initial.rail);
    expect(again.episode.success).toBe(true);
  });

  it('rebuilds the map of a record read from a file (route and rail after a JSON round trip)', async () => {
    const { episode, map } = await route(7);
    const got = await call<MapGeometry>('virl:map', { route: episode.initial.route, rail: episode.initial.rail });
    expect(got).toEqual(map);
    const noRail = await call<MapGeometry>('virl:map', { route: episode.initial.route });
    expect(noRail.rail).toEqual([]);
  });

  it('renders the 2×2 street views as base64 RGB for a city and for an imported route', async () => {
    const { episode } = await route(3);
    const p = (episode.initial.rail as Rail).points[0];
    if (!p) throw new Error('no rail point');
    const req = { scene: { kind: 'city', city: 'nyc' }, position: p.position, heading: p.heading };
    const img = await call<Response<'virl:views'>>('virl:views', req);
    expect([img.width, img.height]).toEqual([194, 194]);
    expect(Buffer.from(img.rgb, 'base64').length).toBe(194 * 194 * 3);
    expect(await call('virl:views', req)).toEqual(img);
    const turned = await call<Response<'virl:views'>>('virl:views', { ...req, heading: p.heading + 90 });
    expect(turned.rgb).not.toBe(img.rgb);

    const imported = (await call<Response<'virl:import'>>('virl:import', { fileName: 'moma.json', text: MOMA })).view.episode;
    const start = (imported.initial.rail as Rail).points[0];
    const small = await call<Response<'virl:views'>>('virl:views', {
      scene: { kind: 'route', route: imported.initial.route, styleCity: 'london' }, position: start?.position, heading: 10, viewSize: 32, gap: 0,
    });
    expect([small.width, small.height]).toEqual([64, 64]);
    expect(Buffer.from(small.rgb, 'base64').length).toBe(64 * 64 * 3);
  });
});
