import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkVirlConformance, importVirlRoute } from '../../../../shared/tasks/virl/index';

const DIR = new URL('../../../fixtures/virl/', import.meta.url);

describe('VirlNav-v0 conformance', () => {
  it('passes on every catalog city and both real routes', () => {
    const importedRoutes = ['route_infos_ny_moma.json', 'route_infos_sf_apple.json'].map((f) => importVirlRoute(readFileSync(new URL(f, DIR), 'utf8'), f));
    expect(checkVirlConformance({ importedRoutes })).toEqual([]);
  });
});
