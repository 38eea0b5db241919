/** V-IRL benchmarks: city generation, route sampling, env steps/s (text, vision), street views rendered/s. */
import { cityScene, createVirlEnv, generateCity, listCities, parseAnswer, renderStreetViews, sampleRoute } from '../shared/tasks/virl/index';
import { renderView } from '../shared/tasks/virl/render/streetview';
import { opsPerSecond, timeMedian, type BenchResult, type BenchSuite } from './harness';

/** Steps/s of the expert policy, resetting whenever a route ends. */
function envSteps(observation: 'text' | 'vision', n: number): () => void {
  return () => {
    const env = createVirlEnv();
    let seed = 0;
    env.reset({ seed, variant: { observation } });
    for (let i = 0; i < n; i++) {
      if (env.done) env.reset({ seed: ++seed, variant: { observation } });
      env.step(env.expertAnswer());
    }
  };
}

const suite: BenchSuite = async () => {
  const results: BenchResult[] = [];
  const oneCity = await timeMedian(() => generateCity('nyc', { fresh: true }), 7, 3);
  const allCities = await timeMedian(() => listCities().forEach((c) => generateCity(c.id, { fresh: true })), 3);
  results.push({ name: 'generate city nyc (fresh)', value: oneCity, unit: 'ms' });
  results.push({ name: `generate all ${listCities().length} catalog cities (fresh)`, value: allCities, unit: 'ms', baseline: { name: '9× one city', value: 9 * oneCity } });

  const city = generateCity('nyc');
  results.push({ name: 'sample route (nyc)', value: await opsPerSecond((i) => sampleRoute(city, i), 500), unit: 'routes/s' });

  const answer = createVirlEnv();
  answer.reset({ seed: 0 });
  const text = answer.expertAnswer();
  const parse = await opsPerSecond(() => parseAnswer(text), 20_000);
  const N = 2000;
  const textSteps = (N / (await timeMedian(envSteps('text', N), 5))) * 1000;
  const visionSteps = (N / 4 / (await timeMedian(envSteps('vision', N / 4), 3))) * 1000;
  results.push({ name: 'parse expert answer', value: parse, unit: 'answers/s' });
  results.push({ name: 'env steps, text (expert, incl. prompts)', value: textSteps, unit: 'steps/s', baseline: { name: 'parse only', value: parse } });
  results.push({ name: 'env steps, vision (expert, 194×194 image)', value: visionSteps, unit: 'steps/s', baseline: { name: 'text steps', value: textSteps } });

  const scene = cityScene(city);
  const route = sampleRoute(city, 1);
  const pts = route.milestones.map((m) => ({ p: m.position, h: m.heading }));
  const single = await opsPerSecond((i) => { const q = pts[i % pts.length]!; renderView(scene, q.p, q.h, 96); }, 400);
  const grid = await opsPerSecond((i) => { const q = pts[i % pts.length]!; renderStreetViews(scene, q.p, q.h + i); }, 100);
  const big = await opsPerSecond((i) => { const q = pts[i % pts.length]!; renderStreetViews(scene, q.p, q.h + i, { viewSize: 256, gap: 5 }); }, 30);
  results.push({ name: 'street-view grids rendered (4×96 px)', value: grid, unit: 'images/s', baseline: { name: '¼ single-view rate', value: single / 4 } });
  results.push({ name: 'street-view grids rendered (4×256 px)', value: big, unit: 'images/s', baseline: { name: '4×96 px grids', value: grid } });
  return results;
};

export default suite;
