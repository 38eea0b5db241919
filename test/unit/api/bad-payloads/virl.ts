/**
 * Bad payloads for the V-IRL map viewer channels: [label, payload, fragment the error must contain].
 * Routes and rails travel in requests, so their schemas get the same treatment as the envelopes.
 */
import type { BadCase } from './core';
import { HUGE } from './core';

/** A valid generated route, small enough to write inline (the channel tests build real ones). */
const ROUTE = {
  source: { kind: 'generated', city: 'nyc', citySeed: 1001, routeSeed: 1 },
  start: { name: 'A', position: { x: 0, y: 0 }, kind: 'shop' },
  destination: { name: 'B', position: { x: 100, y: 0 }, kind: 'cafe' },
  startPosition: { x: 0, y: 0 },
  milestones: [{
    position: { x: 100, y: 0 }, heading: 90, compass: 'east', distance: 100, landmark: null,
    landmarkText: 'No landmark nearby', path: [{ x: 0, y: 0 }, { x: 100, y: 0 }],
  }],
  initHeading: null,
  landmarks: [],
};
const withRoute = (patch: Record<string, unknown>) => ({ ...ROUTE, ...patch });
const episode = (patch: Record<string, unknown>) => ({ route: ROUTE, seed: 1, actionSpace: 'absolute', observation: 'text', policy: 'random', ...patch });
const views = (patch: Record<string, unknown>) => ({ scene: { kind: 'city', city: 'nyc' }, position: { x: 0, y: 0 }, heading: 0, ...patch });
const route = (patch: Record<string, unknown>) => ({ city: 'nyc', seed: 1, actionSpace: 'absolute', observation: 'text', ...patch });
const imp = (patch: Record<string, unknown>) => ({ fileName: 'routes.json', text: '{}', ...patch });

export const virlBadPayloads: Record<string, BadCase[]> = {
  'virl:cities': [
    ['extra field', { city: 'nyc' }, /Unrecognized key/i],
    ['string', 'nyc', /expected object/i],
  ],
  'virl:route': [
    ['missing fields', {}, /city.*seed|seed/],
    ['unknown city', route({ city: 'atlantis' }), /unknown city "atlantis"; known: nyc/],
    ['path-like city', route({ city: '../../etc/passwd' }), /unknown city/],
    ['huge city', route({ city: HUGE }), /longer than 40/],
    ['NaN seed', route({ seed: Number.NaN }), /seed/],
    ['negative seed', route({ seed: -1 }), /seed/],
    ['fractional seed', route({ seed: 1.5 }), /seed.*int/i],
    ['seed too large', route({ seed: 2 ** 40 }), /seed/],
    ['string seed', route({ seed: '3' }), /seed/],
    ['unknown action space', route({ actionSpace: 'diagonal' }), /actionSpace/],
    ['unknown observation', route({ observation: 'audio' }), /observation/],
    ['extra field', route({ out: '/tmp/x' }), /Unrecognized key/i],
  ],
  'virl:import': [
    ['missing text', { fileName: 'a.json' }, /text/],
    ['empty text', imp({ text: '' }), /the file is empty/],
    ['huge text', imp({ text: HUGE.repeat(4) }), /longer than 600000 characters/],
    ['path file name', imp({ fileName: '/etc/passwd' }), /base name, not a path/],
    ['dotdot file name', imp({ fileName: '..' }), /base name/],
    ['windows path', imp({ fileName: 'C:\\routes.json' }), /base name/],
    ['NUL in file name', imp({ fileName: 'a\u0000.json' }), /control characters/],
    ['huge file name', imp({ fileName: HUGE }), /longer than 255/],
    ['not JSON', imp({ text: '{"start_place": ' }), /routes\.json: not valid JSON/],
    ['no routes', imp({ text: '[]' }), /routes\.json: holds no routes/],
    ['missing field', imp({ text: '{"dest_place": {}}' }), /routes\.json: start_place is missing/],
    ['negative index', imp({ index: -1 }), /index/],
    ['index too large', imp({ index: 99_999 }), /index/],
    ['NaN index', imp({ index: Number.NaN }), /index/],
    ['unknown style city', imp({ styleCity: 'gotham' }), /unknown city "gotham"/],
    ['number text', imp({ text: 42 }), /text/],
    ['extra field', imp({ path: '/tmp/routes.json' }), /Unrecognized key/i],
  ],
  'virl:episode': [
    ['missing route', episode({ route: undefined }), /route/],
    ['unknown policy', episode({ policy: 'oracle' }), /policy/],
    ['NaN coordinate', episode({ route: withRoute({ startPosition: { x: Number.NaN, y: 0 } }) }), /route\.startPosition\.x/],
    ['infinite coordinate', episode({ route: withRoute({ startPosition: { x: 1e300, y: 0 } }) }), /route\.startPosition\.x/],
    ['no milestones', episode({ route: withRoute({ milestones: [] }) }), /at least one milestone/],
    ['too many milestones', episode({ route: withRoute({ milestones: Array(201).fill(ROUTE.milestones[0]) }) }), /route\.milestones/],
    ['bad compass', episode({ route: withRoute({ milestones: [{ ...ROUTE.milestones[0], compass: 'up' }] }) }), /compass/],
    ['huge landmark name', episode({ route: withRoute({ start: { ...ROUTE.start, name: HUGE } }) }), /route\.start\.name/],
    ['unknown source kind', episode({ route: withRoute({ source: { kind: 'remote', url: 'http://x' } }) }), /route\.source/],
    ['path-like city in route', episode({ route: withRoute({ source: { ...ROUTE.source, city: '../secrets' } }) }), /unknown city/],
    ['verify limit 0', episode({ verificationLimit: 0 }), /verificationLimit/],
    ['verify limit huge', episode({ verificationLimit: 1e9 }), /verificationLimit/],
    ['NaN policy seed', episode({ policySeed: Number.NaN }), /policySeed/],
    ['extra field', episode({ steps: 1e9 }), /Unrecognized key/i],
  ],
  'virl:map': [
    ['missing route', {}, /route/],
    ['array route', { route: [ROUTE] }, /route/],
    ['empty rail', { route: ROUTE, rail: { initHeading: 0, sentences: [], points: [] } }, /at least one point/],
    ['NaN rail heading', { route: ROUTE, rail: { initHeading: Number.NaN, sentences: [], points: [] } }, /rail\.initHeading/],
    ['extra field', { route: ROUTE, city: 'nyc' }, /Unrecognized key/i],
  ],
  'virl:views': [
    ['missing position', views({ position: undefined }), /position/],
    ['NaN heading', views({ heading: Number.NaN }), /heading/],
    ['huge heading', views({ heading: 1e12 }), /heading/],
    ['NaN position', views({ position: { x: 0, y: Number.NaN } }), /position\.y/],
    ['view size too large', views({ viewSize: 100_000 }), /viewSize/],
    ['view size zero', views({ viewSize: 0 }), /viewSize/],
    ['negative gap', views({ gap: -1 }), /gap/],
    ['unknown layout', views({ layout: 'fisheye' }), /layout/],
    ['unknown scene kind', views({ scene: { kind: 'file', path: '/etc/passwd' } }), /scene/],
    ['unknown city', views({ scene: { kind: 'city', city: 'C:\\Windows' } }), /unknown city/],
    ['extra field', views({ out: 'x.png' }), /Unrecognized key/i],
  ],
};
