/**
 * The unit table of a task's token format: every unit (`n10`, `cK`, `Vabs`, `<eos>`…) is one
 * token of the task's tokenizer. Built once per codec; a unit the tokenizer splits is refused by
 * name, since a codec's positions (prompt length, block size) assume one token per unit.
 */
import type { Tokenizer } from '../tokenizer';

export interface UnitTable {
  /** Token id of a unit; throws for an unknown unit. */
  id(unit: string): number;
  /** Unit text of a token id (other vocabulary entries by their token text). */
  unit(id: number): string;
  /** Whether a token id is one of the table's units. */
  has(id: number): boolean;
}

export function unitTable(tokenizer: Tokenizer, taskName: string, words: readonly string[], wordsName: string): UnitTable {
  const ids = new Map<string, number>();
  const units = new Map<number, string>();
  const add = (unit: string, id: number) => {
    ids.set(unit, id);
    units.set(id, unit);
  };
  add('<pad>', tokenizer.pad);
  add('<bos>', tokenizer.bos);
  add('<eos>', tokenizer.eos);
  for (const u of words) {
    const enc = tokenizer.encode(u);
    if (enc.length !== 1) throw new Error(`the tokenizer has no single token for the ${taskName} unit "${u}"; build it with ${wordsName}`);
    add(u, enc[0] as number);
  }
  return {
    id(u) {
      const x = ids.get(u);
      if (x === undefined) throw new Error(`unknown ${taskName} unit "${u}"`);
      return x;
    },
    unit: (t) => units.get(t) ?? tokenizer.tokenText(t),
    has: (t) => units.has(t),
  };
}
