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
 *
 * The vision-language format (V-IRL-VL, PAPER.md §2.4) is the same with the current point's
 * landmark left out of the text: as in the paper's VL prompt, the model is told "an image of 4
 * views" and whether it is at an intersection, and must see the landmarks in the street-view grid
 * it reads before the prompt (the emblem on a sign is its name's bucket, the L<k> of the sentences):
 *
 *   image    the env's 2×2 street-view grid [front, right / back, left] (visual tokens)
 *   prompt   <bos> Vabs|Vrel { sentences }… | { <action> }… see I|N >
 */
import { COMPASS, RELATIONS, RELATIVE_TURNS } from '../../../../shared/tasks/virl/geo';
import type { VirlInfo, VirlObservation, VirlObservationState } from '../../../../shared/tasks/virl/env';
import { LANDMARK_BUCKETS, landmarkBucket } from '../../../../shared/tasks/virl/render/emblem';
import type { RgbImage } from '../../../../shared/tasks/image';
import type { TaskCodec } from '../../engine/task';
import { createTokenizer, type Tokenizer } from '../../tokenizer';
import { unitTable } from '../unit-table';

export { LANDMARK_BUCKETS };
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
// `R` starts the vision-language base's sign-reading prompts ("read the sign on your …").
const CHAR_UNITS = ['I', 'N', '|', '>', '_', 'R'];

export function createVirlTokenizer(): Tokenizer {
  return createTokenizer({ extraWords: VIRL_EXTRA_WORDS });
}

/** The landmark unit of a landmark text (`Lno` when there is none). */
export function landmarkUnit(landmark: string | null): string {
  if (!landmark || /^no landmarks? nearby$/i.test(landmark.trim())) return 'Lno';
  return `L${landmarkBucket(landmark)}`;
}

/** Name and side of "X is on your left front" / "The destination X is on your right". */
export function splitLandmark(text: string): { name: string | null; side: string } {
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

/** The street-view grid a vision-language codec reads: its four views' side and the gap between them (the env's `views`). */
export interface VirlViewSize {
  viewSize: number;
  gap: number;
}

export interface VirlCodecOptions {
  /** The vision-language format: the env's street-view grid at this size instead of the landmark token. Default: text. */
  views?: VirlViewSize;
}

/** Side of the square 2×2 grid of `views`. */
export const gridSide = (v: VirlViewSize) => 2 * v.viewSize + v.gap;

export interface VirlCodec extends TaskCodec<VirlObservation, VirlInfo> {
  /** The street-view grid the model reads (vision-language format); null for text. */
  readonly views: VirlViewSize | null;
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

export function createVirlCodec(tokenizer: Tokenizer = createVirlTokenizer(), options: VirlCodecOptions = {}): VirlCodec {
  const views = options.views ? { ...options.views } : null;
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
    'see', ...(views ? [] : [landmarkUnit(splitLandmark(s.landmarkObs).name)]), s.atIntersection ? 'I' : 'N', '>',
  ].map(id);
  return {
    tokenizer,
    maxAnswerTokens,
    views,
    id,
    unit,
    encodeState,
    // <bos> flag, three units a sentence, '|', the actions, then see <landmark> I|N '>' (no landmark with vision).
    promptLength: (sentences, history) => 2 + 3 * sentences + 1 + history.reduce((n, a) => n + actionUnits(a).length, 0) + (views ? 3 : 4),
    encodeObservation(observation) {
      const tokens = encodeState(observation.state);
      if (!views) return { tokens };
      const image: RgbImage | null = observation.image;
      if (!image) throw new Error('the V-IRL vision-language codec needs the street-view grid: reset the env with variant.observation = "vision"');
      const side = gridSide(views);
      if (image.width !== side || image.height !== side) throw new Error(`the street-view grid is ${image.width}×${image.height}; this codec reads ${side}×${side} grids (views of ${views.viewSize} px, gap ${views.gap})`);
      return { tokens, image };
    },
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
