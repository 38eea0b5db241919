/** `npm run bench`: runs every `bench/*.bench.ts` suite (or those named on the command line). */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadAverageLine, type BenchResult, type BenchSuite } from './harness';

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

function fmt(v: number): string {
  return Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : v.toPrecision(4);
}

for (const file of files) {
  const suite = (await import(pathToFileURL(path.join(here, file)).href)).default as BenchSuite;
  console.log(`\n## ${file}`);
  // Other processes on the machine slow every figure: say how busy it was while they were taken.
  console.log(`before: ${loadAverageLine()}`);
  const results: BenchResult[] = await suite();
  console.log(`after:  ${loadAverageLine()}`);
  for (const r of results) {
    let line = `${r.name.padEnd(56)} ${fmt(r.value).padStart(14)} ${r.unit}`;
    if (r.baseline && r.invalid) line += `   (ratio INVALID: ${r.invalid}; ${r.baseline.name}: ${fmt(r.baseline.value)} ${r.unit})`;
    else if (r.baseline) line += `   (${fmt(r.value / r.baseline.value)}x ${r.baseline.name}: ${fmt(r.baseline.value)} ${r.unit})`;
    console.log(line);
  }
}
