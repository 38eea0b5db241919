/**
 * The in-app token format of V-IRL-L: one token per unit, encoded from the observation's
 * structured state (never by tokenizing prose), like the GeneralPoints codec.
 *
 *   prompt   <bos> Vabs|Vrel  { St <rel> <compass> | Sm <landmark> <side> | Sd <landmark> <side> }…
 *            |  { <action> }…  see <landmark> I|N >
 *   answer   I|N <action> <eos>        action = Af | As | At <direction>
 *   retry    <answer as generated, right-padded with _ to 4> F_act|F_int|F_parse >
 *
 * Sentences keep both words a turn sentence names (relative and compass), as the paper's
 * instructions do; the action-space flag says which one the answer must use. Landmarks are
 * hashed to one of 32 name tokens (a route's few landmarks rarely share one); `Lno` is "no
 * landmark". The answer's I/N is its intersection claim, which the env verifies.
 */
import { COMPASS, RELATIONS, RELATIVE_TURNS } from '../../../../shared/tasks/virl/geo';
import type { VirlInfo, VirlObservation, VirlObservationState } from '../../../../shared/tasks/virl/env';
import type { TaskCodec } from '../../engine/task';
import { createTokenizer, type Tokenizer } from '../../tokenizer';
import { unitTable } from '../unit-table';

export const LANDMARK_BUCKETS = 32;
/**
 * Longest prompt the format budgets for. Generated routes need at most ~63 tokens (300 routes in
 * each of three cities); episodes are drawn among routes that fit (task.ts `fitsContext`).
 */
export const MAX_PROMPT_TOKENS = 80;
const REL_UNITS: Record<string, string> = { left: 'r_l', right: 'r_r', 'slightly left': 'r_sl', 'slightly right': 'r_sr' };
const COMPASS_UNITS = Object.fromEntries(COMPASS.map((c) => [c, `c_${c}`])) as Record<string, string>;
const SIDE_UNITS = Object.fromEntries(RELATIONS.map((r) => [r, `on_${r.replace(' ', '_')}`])) as Record<string, string>;

/** Multi-character units the codec adds to the tokenizer. */
export const VIRL_EXTRA_WORDS: readonly string[] = [
  'Vabs', 'Vrel', 'St', 'Sm', 'Sd', 'see', 'Af', 'As', 'At', 'F_act', 'F_int', 'F_parse', 'Lno', 'on_none',
  ...Object.values(REL_UNITS), ...Object.values(COMPASS_UNITS), ...Object.values(SIDE_UNITS),
  ...Array.from({ length: LANDMARK_BUCKETS }, (_, i) => `L${i}`),
];
const CHAR_UNITS = ['I', 'N', '|', '>', '_'];

export function createVirlTokenizer(): Tokenizer {
  return createTokenizer({ extraWords: VIRL_EXTRA_WORDS });
}

/** The landmark unit of a landmark text (`Lno` when there is none). */
export function landmarkUnit(landmark: string | null): string {
  if (!landmark || /^no landmarks? nearby$/i.test(landmark.trim())) return 'Lno';
  let h = 0x811c9dc5;
  for (let i = 0; i < landmark.length; i++) h = Math.imul(h ^ landmark.charCodeAt(i), 0x01000193) >>> 0;
  return `L${h % LANDMARK_BUCKETS}`;
}

/** Name and side of "X is on your left front" / "The destination X is on your right". */
function splitLandmark(text: string): { name: string | null; side: string } {
  const m = /^(?:The destination )?(.+?) is on your (.+)$/.exec(text.trim());
  if (!m) return { name: /no landmarks? nearby/i.test(text) ? null : text.trim(), side: 'on_none' };
  return { name: m[1] as string, side: SIDE_UNITS[m[2] as string] ?? 'on_none' };
}

/** Units of one instruction sentence (as rail.ts writes them). */
export function sentenceUnits(sentence: string): string[] {
  const turn = /[Tt]urn (.+?) to face (\w+)\./.exec(sentence);
  if (turn) return ['St', REL_UNITS[turn[1] as string] ?? '_', COMPASS_UNITS[turn[2] as string] ?? '_'];
  const move = /^Move forward until you reach (next intersection|destination)(?: where (.+))?\.$/.exec(sentence);
  if (!move) throw new Error(`not a V-IRL instruction sentence: "${sentence}"`);
  const { name, side } = splitLandmark(move[2] ?? 'No landmark nearby');
  return [move[1] === 'destination' ? 'Sd' : 'Sm', landmarkUnit(name), side];
}

/** Units of an action string (`forward()`, `stop()`, `turn_direction(x)`). */
export function actionUnits(action: string): string[] {
  if (action === 'forward()') return ['Af'];
  if (action === 'stop()') return ['As'];
  const t = /^turn_direction\((.+)\)$/.exec(action);
  const dir = t ? (COMPASS_UNITS[t[1] as string] ?? REL_UNITS[t[1] as string]) : undefined;
  if (!dir) throw new Error(`no units for the action "${action}"`);
  return ['At', dir];
}

export interface VirlCodec extends TaskCodec<VirlObservation, VirlInfo> {
  id(unit: string): number;
  unit(id: number): string;
  /** Tokens of a prompt from the structured state. */
  encodeState(state: VirlObservationState): number[];
  /** Length of `encodeState`'s prompt for `sentences` sentences after the actions of `history`. */
  promptLength(sentences: number, history: readonly string[]): number;
  /** A failed attempt's block: the answer as generated, `_` padding, the verdict's feedback unit, `>`. */
  encodeBlock(answer: readonly number[], verdict: string | null): number[];
  /** Answer tokens: the intersection claim and the action, <eos>. */
  encodeAnswer(atIntersection: boolean, action: string): number[];
  /** What an answer says: its claim and its action text (null when it has none). */
  decodeAnswer(tokens: readonly number[]): { claim: boolean | null; action: string | null };
  textToTokens(text: string): number[];
}

const FAILURE_UNIT: Record<string, string> = { wrong_action: 'F_act', wrong_intersection: 'F_int', parse_error: 'F_parse' };
const UNIT_TO_WORD: Record<string, string> = Object.fromEntries([
  ...Object.entries(REL_UNITS).map(([w, u]) => [u, w]),
  ...Object.entries(COMPASS_UNITS).map(([w, u]) => [u, w]),
]);

export function createVirlCodec(tokenizer: Tokenizer = createVirlTokenizer()): VirlCodec {
  const { id, unit } = unitTable(tokenizer, 'V-IRL', [...VIRL_EXTRA_WORDS, ...CHAR_UNITS], 'VIRL_EXTRA_WORDS');
  const maxAnswerTokens = 4;
  const decodeAnswer = (tokens: readonly number[]) => {
    const end = tokens.indexOf(tokenizer.eos);
    const body = (end < 0 ? tokens : tokens.slice(0, end)).map(unit);
    const claim = body[0] === 'I' ? true : body[0] === 'N' ? false : null;
    // Without a claim the whole answer is read as the action (and the env sees no observation).
    const a = claim === null ? body : body.slice(1);
    let action: string | null = null;
    if (a.length === 1 && a[0] === 'Af') action = 'forward()';
    else if (a.length === 1 && a[0] === 'As') action = 'stop()';
    else if (a.length === 2 && a[0] === 'At' && UNIT_TO_WORD[a[1] as string]) action = `turn_direction(${UNIT_TO_WORD[a[1] as string]})`;
    return { claim, action };
  };
  const encodeState = (s: VirlObservationState): number[] => [
    '<bos>', s.actionSpace === 'absolute' ? 'Vabs' : 'Vrel',
    ...s.sentences.flatMap(sentenceUnits), '|',
    ...s.history.flatMap((h) => actionUnits(h.action)),
    'see', landmarkUnit(splitLandmark(s.landmarkObs).name), s.atIntersection ? 'I' : 'N', '>',
  ].map(id);
  return {
    tokenizer,
    maxAnswerTokens,
    id,
    unit,
    encodeState,
    // <bos> flag, three units a sentence, '|', the actions, then see <landmark> I|N '>'.
    promptLength: (sentences, history) => 2 + 3 * sentences + 1 + history.reduce((n, a) => n + actionUnits(a).length, 0) + 4,
    encodeObservation: (observation) => ({ tokens: encodeState(observation.state) }),
    encodeBlock(answer, verdict) {
      if (answer.length > maxAnswerTokens) throw new Error(`an attempt has at most ${maxAnswerTokens} tokens, got ${answer.length}`);
      const pad = new Array<number>(maxAnswerTokens - answer.length).fill(id('_'));
      return [...answer, ...pad, id(FAILURE_UNIT[verdict ?? ''] ?? 'F_parse'), id('>')];
    },
    encodeRetry(answer, result) {
      return this.encodeBlock(answer, result.info.verdict);
    },
    encodeAnswer: (atIntersection, action) => [atIntersection ? 'I' : 'N', ...actionUnits(action), '<eos>'].map(id),
    decodeAnswer,
    answerToAction(tokens) {
      const d = decodeAnswer(tokens);
      const observation = d.claim === null ? '' : d.claim ? 'You observe an intersection' : 'No intersection here';
      const action = d.action ?? (tokens.length === 0 ? '' : tokens.map(unit).join(' '));
      return JSON.stringify({ 'current observation': observation, action });
    },
    tokensToText: (tokens) => tokens.map(unit).join(' '),
    textToTokens: (text) => (text === '' ? [] : text.split(' ').map(id)),
    // A segment: a prompt of at most MAX_PROMPT_TOKENS, (attempts − 1) retry blocks, then the last answer.
    contextFor: (attempts) => MAX_PROMPT_TOKENS + (maxAnswerTokens + 2) * (attempts - 1) + maxAnswerTokens,
  };
}
