import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** Every import specifier of every TypeScript file under a folder. */
function imports(dir: string): { file: string; spec: string }[] {
  const out: { file: string; spec: string }[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.tsx?$/.test(e.name)) {
        const text = fs.readFileSync(p, 'utf8');
        for (const m of text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
          out.push({ file: p, spec: (m[1] ?? m[2]) as string });
        }
      }
    }
  };
  walk(dir);
  return out;
}

describe('dependency direction (DESIGN §3)', () => {
  it('shared/ imports neither Node, the DOM, tfjs, electron/ nor renderer/', () => {
    const bad = imports('shared').filter(({ spec }) => spec.startsWith('node:') || /^(fs|path|os|electron|@tensorflow\/)/.test(spec) || /(^|\/)(electron|renderer)\//.test(spec));
    expect(bad).toEqual([]);
  });

  it('renderer/ never imports electron/ or Node modules', () => {
    const bad = imports('renderer/src').filter(({ spec }) => spec.startsWith('node:') || spec === 'electron' || /\.\.\/electron\//.test(spec));
    expect(bad).toEqual([]);
  });
});

describe('layering inside electron/', () => {
  const resolved = (file: string, spec: string) => path.normalize(path.join(path.dirname(file), spec));

  it('the ml layer imports neither the job manager nor the API layer (the job entry lives in jobs/)', () => {
    const bad = imports('electron/ml').filter(({ file, spec }) => spec.startsWith('.') && /^electron\/(jobs|api)\//.test(resolved(file, spec)));
    expect(bad).toEqual([]);
  });

  it('the engine knows no task: nothing under engine/ imports tasks/ or a task simulator', () => {
    const bad = imports('electron/ml/engine').filter(({ file, spec }) => spec.startsWith('.') && /^(electron\/ml\/tasks|shared\/tasks\/(generalpoints|virl))\//.test(resolved(file, spec)));
    expect(bad).toEqual([]);
  });

  it('handler tables do not import the module that merges them (no api/handlers cycle)', () => {
    const bad = imports('electron/api/handlers').filter(({ file, spec }) => resolved(file, spec) === path.normalize('electron/api/handlers'));
    expect(bad).toEqual([]);
  });
});
