import { describe, expect, it } from 'vitest';
import { normalizeAction, parseAnswer } from '../../../../shared/tasks/virl/parse';
import { createRng } from '../../../../shared/util/rng';

/** The earlier, backtracking definition: the linear one must agree with it on every short input. */
function normalizeByRegex(raw: string): string {
  let a = raw.trim().toLowerCase().replace(/\s+/g, ' ');
  a = a.replace(/\s*\(\s*/g, '(').replace(/\s*\)\s*/g, ')');
  a = a.replace(/\((["'])(.*)\1\)$/, '($2)');
  return a.replace(/\(\s*(.*?)\s*\)$/, '($1)');
}

describe('V-IRL action parsing', () => {
  it('normalises spacing, case and quotes of an action', () => {
    expect(normalizeAction(" turn_direction( 'Slightly  Left' ) ")).toBe('turn_direction(slightly left)');
    expect(normalizeAction('turn_direction("north")')).toBe('turn_direction(north)');
    expect(normalizeAction('forward()')).toBe('forward()');
    expect(normalizeAction("x('')")).toBe('x()');
    expect(normalizeAction("x(')")).toBe("x(')");
  });

  it('agrees with the regular-expression definition on random short answers', () => {
    const rng = createRng(7);
    const alphabet = ['(', ')', "'", '"', ' ', '  ', '\t', 'a', 'B', '_', 'x', '\n'];
    for (let n = 0; n < 20_000; n++) {
      const len = Math.floor(rng.next() * 12);
      let s = '';
      for (let i = 0; i < len; i++) s += alphabet[Math.floor(rng.next() * alphabet.length)];
      expect(normalizeAction(s), JSON.stringify(s)).toBe(normalizeByRegex(s));
    }
  });

  it('reads a million-character action without backtracking (it took seconds at 40 thousand)', () => {
    for (const action of ['('.repeat(1_000_000), "('".repeat(500_000), `x${' ('.repeat(500_000)}`]) {
      const parsed = parseAnswer(JSON.stringify({ action }));
      expect(parsed.rawAction).toBe(action);
      expect(parsed.action?.length).toBeGreaterThan(0);
    }
  });
});
