import { describe, expect, it } from 'vitest';
import { VALUE_MAPS, allRankMultisets, isSolvableNumbers, referenceSolutionStrings, solvableStats, solveAll } from '../../../../shared/tasks/generalpoints/index';
import { evaluateExact, parseFormula } from '../../../../shared/tasks/generalpoints/formula';
import { canonicalText, type Tree } from '../../../../shared/tasks/generalpoints/expr';

function value(formula: string): string {
  const f = parseFormula(formula);
  if (!f.ok) throw new Error(f.error);
  const v = evaluateExact(f.tree);
  return v ? `${v.n}/${v.d}` : 'div0';
}

function numbersOf(formula: string): number[] {
  const f = parseFormula(formula);
  if (!f.ok) throw new Error(f.error);
  return f.numbers.slice().sort((a, b) => a - b);
}

describe('solvable counts over the 1820 distinct rank multisets (target 24)', () => {
  it('face10: 1236 solvable, 670 of the 1105 with a face card', () => {
    const s = solvableStats(VALUE_MAPS.face10, 24);
    expect(s.multisets).toBe(1820);
    expect(s.solvable).toBe(1236);
    expect(s.faceMultisets).toBe(1105);
    expect(s.solvableWithFace).toBe(670);
    expect(s.pDeck).toBeCloseTo(0.74598, 4);
  });

  it('face11-13: 1362 solvable (the classic 24-game count), 796 with a face card', () => {
    const s = solvableStats(VALUE_MAPS['face11-13'], 24);
    expect(s.solvable).toBe(1362);
    expect(s.solvableWithFace).toBe(796);
    expect(s.pDeck).toBeCloseTo(0.80457, 4);
  });

  it('agrees with the reference (Rosetta) solver on every multiset under both rules', () => {
    for (const rule of ['face10', 'face11-13'] as const) {
      const disagree = allRankMultisets().filter((ms) => {
        const vals = ms.map((r) => VALUE_MAPS[rule][r - 1] as number);
        return isSolvableNumbers(vals, 24) !== referenceSolutionStrings(vals, 24).length > 0;
      });
      expect(disagree).toEqual([]);
    }
  });
});

describe('exact solver', () => {
  it('finds 8/(3-8/3), which float arithmetic misses', () => {
    expect(solveAll([8, 3, 8, 3], 24)).toEqual(['8/(3-8/3)']);
    expect(solveAll([1, 5, 5, 5], 24)).toEqual(['5*(5-1/5)']);
    expect(solveAll([3, 3, 7, 7], 24)).toEqual(['7*(3+3/7)']);
  });

  it('returns nothing for unsolvable hands', () => {
    expect(solveAll([1, 1, 1, 1], 24)).toEqual([]);
    expect(isSolvableNumbers([1, 1, 1, 1], 24)).toBe(false);
  });

  it('every solution uses exactly the numbers and equals the target; canonical texts are distinct', () => {
    for (const nums of [[1, 2, 3, 4], [10, 10, 4, 4], [12, 9, 7, 4], [13, 11, 2, 1], [6, 6, 6, 6]]) {
      const sols = solveAll(nums, 24);
      expect(sols.length).toBeGreaterThan(0);
      expect(new Set(sols).size).toBe(sols.length);
      for (const s of sols) {
        expect(value(s)).toBe('24/1');
        expect(numbersOf(s)).toEqual(nums.slice().sort((a, b) => a - b));
      }
    }
  });

  it('deduplicates up to commutativity and associativity', () => {
    const n = (v: number): Tree => ({ kind: 'num', value: v });
    const b = (op: '+' | '-' | '*' | '/', l: Tree, r: Tree): Tree => ({ kind: 'bin', op, left: l, right: r });
    expect(canonicalText(b('*', b('+', n(1), n(2)), n(8)))).toBe(canonicalText(b('*', n(8), b('+', n(2), n(1)))));
    expect(canonicalText(b('-', n(9), b('-', n(3), n(2))))).toBe(canonicalText(b('-', b('+', n(9), n(2)), n(3))));
    expect(solveAll([1, 2, 3, 4], 24)).toEqual(['4*3*2*1', '4*3*2/1', '(3+2+1)*4', '(4+2)*(3+1)']);
  });

  it('supports other targets', () => {
    expect(solveAll([1, 2, 3, 4], 10)).toContain('4+3+2+1');
    expect(solveAll([13, 13, 13, 13], 1)).toContain('13*13/13/13');
  });
});
