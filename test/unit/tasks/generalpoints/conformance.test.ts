import { expect, it } from 'vitest';
import { runConformance } from '../../../../shared/tasks/generalpoints/index';

it('the shipped conformance suite finds no problem (default and reference verifiers)', () => {
  expect(runConformance({ seeds: 10, bombardment: 200 })).toEqual([]);
});
