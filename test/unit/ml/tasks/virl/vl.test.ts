/**
 * V-IRL-VL's codec, base curriculum and evaluation sets (issue 11): the landmark leaves the text
 * and is seen in the street-view grid; the base reads signs in every city style and never plays a
 * training-city route; the visual variant's OOD routes are each city's own.
 */
import { describe, expect, it } from 'vitest';
import { CITY_SPECS, TRAINING_CITY } from '../../../../../shared/tasks/virl/catalog';
import { createVirlEnv } from '../../../../../shared/tasks/virl/env';
import { emblemCells, landmarkBucket } from '../../../../../shared/tasks/virl/render/emblem';
import { createRng } from '../../../../../shared/util/rng';
import { createVirlCodec, createVirlTokenizer, landmarkUnit } from '../../../../../electron/ml/tasks/virl/codec';
import { signReadingExample, virlVlCurriculumExample } from '../../../../../electron/ml/tasks/virl/curriculum-vl';
import { miniBenchmarkRoutes, OOD_CITIES, specCity, virlTaskFor } from '../../../../../electron/ml/tasks/virl/task';
import { loadTask } from '../../../../../electron/ml/tasks';
import { VIRL_VL_IMAGE } from '../../engine/virl-vl-fixtures';

const task = virlTaskFor({ modality: 'vision-language', variant: 'visual', image: VIRL_VL_IMAGE });
const codec = task.codec;
const evalCfg = { everySteps: 1, idEpisodes: 4, oodEpisodes: 16, verificationLimit: 2, seed: 7 };

describe('V-IRL-VL codec', () => {
  it('the prompt leaves the landmark out (the grid shows it); the image is the env\'s grid at the image block\'s size', () => {
    const env = task.makeEnv(2);
    const { observation } = env.reset(task.evalEpisodes(evalCfg, 'id', 1)[0]!);
    const { tokens, image } = codec.encodeObservation(observation);
    const text = createVirlCodec();
    const l = text.encodeObservation(observation).tokens;
    // The same prompt as V-IRL-L less the one landmark unit after `see`.
    expect(codec.tokensToText(tokens)).toBe(text.tokensToText(l).replace(/ see L\w+ /, ' see '));
    expect(tokens.length).toBe(l.length - 1);
    expect(image).toBe(observation.image);
    expect(image).toMatchObject({ width: 32, height: 32 });
    expect(task.imageSize).toEqual({ width: 32, height: 32 });
    // The token format names landmarks by the buckets the emblems draw.
    expect(landmarkUnit('Blue Cafe')).toBe(`L${landmarkBucket('Blue Cafe')}`);
    expect(new Set(Array.from({ length: 32 }, (_, b) => emblemCells(b).join())).size).toBe(32);
  });

  it('refuses a text observation, and a grid of another size, by name', () => {
    const textObs = createVirlEnv().reset({ seed: 1 }).observation;
    expect(() => codec.encodeObservation(textObs)).toThrow(/needs the street-view grid/);
    const big = createVirlEnv({ views: { viewSize: 32, gap: 0 } }).reset({ seed: 1, variant: { observation: 'vision' } }).observation;
    expect(() => codec.encodeObservation(big)).toThrow(/64×64; this codec reads 32×32/);
  });

  it('bad configs get a clear error: vision without an image block, a non-square grid, the visual variant from text', async () => {
    await expect(loadTask({ task: 'virl', modality: 'vision-language', variant: 'visual' })).rejects.toThrow(/needs an image block/);
    expect(() => virlTaskFor({ modality: 'vision-language', variant: 'rule', image: { ...VIRL_VL_IMAGE, width: 64 } })).toThrow(/square 2×2 grid/);
    expect(() => virlTaskFor({ modality: 'language', variant: 'visual' })).toThrow(/set modality to vision-language/);
    expect((await loadTask({ task: 'virl', modality: 'vision-language', variant: 'rule', image: VIRL_VL_IMAGE })).imageSize).toEqual({ width: 32, height: 32 });
  });
});

describe('V-IRL-VL base curriculum', () => {
  it('reads signs in every city style and answers, view by view, the landmark standing near', () => {
    const rng = createRng(3);
    const xs = Array.from({ length: 300 }, () => signReadingExample(rng, codec));
    expect(new Set(xs.map((x) => x.city))).toEqual(new Set(CITY_SPECS.map((c) => c.id)));
    for (const x of xs) {
      expect(codec.tokensToText(x.prompt)).toBe('<bos> R >');
      expect(codec.tokensToText(x.answer)).toBe(`${x.near.map((n, v) => `${['on_front', 'on_right', 'on_behind', 'on_left'][v]} ${n ? landmarkUnit(n) : 'Lno'}`).join(' ')} <eos>`);
      expect(x.image).toMatchObject({ width: 32, height: 32 });
    }
    // Mostly beside a landmark: a named sign in most examples, in every view position.
    expect(xs.filter((x) => x.near.some((n) => n !== null)).length).toBeGreaterThan(150);
    for (let v = 0; v < 4; v++) expect(xs.some((x) => x.near[v] !== null)).toBe(true);
  });

  it('the language exercises show their point in street views, never state its landmark, and stop only where the destination stands', () => {
    const rng = createRng(5);
    const xs = Array.from({ length: 300 }, () => virlVlCurriculumExample(rng, codec, { maxAttempts: 2 }));
    expect(xs.filter((x) => x.kind === 'sign').length).toBeGreaterThan(60);
    const routes = xs.filter((x) => x.kind === 'route');
    for (const x of routes) {
      expect(x.image).toMatchObject({ width: 32, height: 32 });
      // The current point's `see` is followed by the intersection flag, not a landmark unit.
      expect(codec.tokensToText(x.prompt)).toMatch(/ see [IN] >/);
    }
    const answers = routes.map((x) => codec.decodeAnswer(x.answer).action);
    expect(answers).toContain('stop()');
    expect(answers).toContain('forward()');
  });
});

describe('V-IRL-VL evaluation sets', () => {
  it('visual: ID in the training city; OOD split over the eight other cities, each with its own held-out routes; an 18-route mini set', () => {
    const id = task.evalEpisodes(evalCfg, 'id', 4);
    expect(id.every((s) => specCity(s) === TRAINING_CITY && (s.variant as { actionSpace: string }).actionSpace === 'absolute')).toBe(true);
    const ood = task.evalEpisodes(evalCfg, 'ood', 16);
    expect(ood).toHaveLength(16);
    expect(OOD_CITIES).toHaveLength(8);
    for (const city of OOD_CITIES) expect(ood.filter((s) => specCity(s) === city)).toHaveLength(2);
    // Held out: odd route seeds (training routes are even).
    for (const s of [...id, ...ood]) expect((s.variant as { routeSeed: number }).routeSeed % 2).toBe(1);
    // More routes keep the first ones of each city.
    const more = task.evalEpisodes(evalCfg, 'ood', 24);
    for (const city of OOD_CITIES) expect(more.filter((s) => specCity(s) === city).slice(0, 2)).toEqual(ood.filter((s) => specCity(s) === city));
    const probes = task.probeSets!(evalCfg, 'ood', 16);
    expect(probes.map((p) => p.name)).toEqual(['mini']);
    const mini = miniBenchmarkRoutes(codec, 7);
    expect(mini).toHaveLength(18);
    for (const c of CITY_SPECS) expect(mini.filter((s) => specCity(s) === c.id)).toHaveLength(2);
    expect(task.probeSets!(evalCfg, 'id', 4)).toEqual([]);
  });

  it('rule: the same training-city routes, absolute in ID and relative OOD', () => {
    const rule = virlTaskFor({ modality: 'vision-language', variant: 'rule', image: VIRL_VL_IMAGE });
    const id = rule.evalEpisodes(evalCfg, 'id', 3);
    const ood = rule.evalEpisodes(evalCfg, 'ood', 3);
    expect(ood.map((s) => (s.variant as { routeSeed: number }).routeSeed)).toEqual(id.map((s) => (s.variant as { routeSeed: number }).routeSeed));
    expect(ood.every((s) => specCity(s) === TRAINING_CITY && (s.variant as { actionSpace: string }).actionSpace === 'relative')).toBe(true);
    expect(rule.probeSets).toBeUndefined();
    expect(createVirlTokenizer().toJSON()).toEqual(rule.codec.tokenizer.toJSON());
  });
});
