/**
 * Prompt text. The paper prompts are verbatim from `prompt_lib/prompts.py` (PAPER.md §2.6),
 * typos and odd line breaks included, for external models and dataset export. The compact prompt
 * carries the same information in a few short lines for the in-app tiny models.
 */
import { COMPASS, RELATIVE_TURNS } from './geo';

export type ActionSpaceKind = 'absolute' | 'relative';

const list = (xs: readonly string[]) => `[${xs.map((x) => `'${x}'`).join(', ')}]`;

/** The `[Action space]` block (`set_str_action_space`). */
export function actionSpaceText(kind: ActionSpaceKind): string {
  const choices = kind === 'absolute' ? `8 directions ${list(COMPASS)}` : list(RELATIVE_TURNS);
  return [
    '"forward()": indicates moving forward one step',
    `"turn_direction(x)": indicates adjust the ego agent direction towards x direction. x could be any following ${choices}`,
    '"stop()": indicates the navigation is finished.',
  ].join('\n');
}

/** Every action string valid in an action space (the random policy draws from these). */
export function actionVocabulary(kind: ActionSpaceKind): string[] {
  const words: readonly string[] = kind === 'absolute' ? COMPASS : RELATIVE_TURNS;
  return ['forward()', 'stop()', ...words.map((w) => `turn_direction(${w})`)];
}

export interface PromptParts {
  /** Numbered instruction list. */
  instruction: string;
  actionSpace: ActionSpaceKind;
  /** The `[Observations and actions sequence]` block. */
  obsActSeq: string;
}

/** `Q_VIRL_L` (text) or `Q_VIRL_VL` (vision), filled in. */
export function paperPrompt(parts: PromptParts, vision: boolean): string {
  const intro = vision
    ? 'You are an expert in navigation. You will receive a sequence of instructions to follow while observing your surrounding stree tviews. You\n'
    : 'You are an expert in navigation. You will receive a sequence of instructions to follow. You\n';
  const observationFormat = vision
    ? '[Observation format]\nYou observe a 2x2 grid of streetview images with the following headings:\n[front, right\n back, left]\nYou need to identify if any of the landmarks in the instruction are visible in the street view grid.\n\n'
    : '';
  const latest = vision ? 'latest observation from the street view grid' : 'latest observation from the observation sequence';
  return (
    '[Task Description]\n' +
    intro +
    'are also provided with your observation and action history in text. Your goal is to first analyze the instruction and identify the next sentence to be executed. \n' +
    'Then, you need to provide the action to be taken based on the current observation and instruction.\n\n' +
    `[Instruction]\n${parts.instruction}\n\n` +
    observationFormat +
    `[Action space]\n${actionSpaceText(parts.actionSpace)}\n\n` +
    `[Observations and actions sequence]\n${parts.obsActSeq}\n\n` +
    '[Output]\n{\n' +
    `  "current observation": ${latest},\n` +
    '  "current instruction": analyze the full instruction and identify the sentence to be executed,\n' +
    '  "action": the action to be taken chosen from the action space,\n}'
  );
}

export interface CompactParts {
  actionSpace: ActionSpaceKind;
  vision: boolean;
  /** Instruction sentences, unnumbered. */
  sentences: readonly string[];
  /** Expert actions taken so far, in order. */
  done: readonly string[];
  /** The current observation line. */
  current: string;
  /** Short reason of the last failure at this point, if any. */
  failure: string | null;
}

/**
 * Compact prompt for tiny in-app models: task tag, numbered instruction, the actions done,
 * the current observation and the last failure. The expected answer format is the paper's.
 */
export function compactPrompt(p: CompactParts): string {
  const lines = [`nav ${p.actionSpace === 'absolute' ? 'abs' : 'rel'} ${p.vision ? 'img' : 'txt'}`];
  p.sentences.forEach((s, i) => lines.push(`${i + 1}. ${s}`));
  lines.push(`did: ${p.done.join(' ')}`, `see: ${p.current}`);
  if (p.failure) lines.push(`fail: ${p.failure}`);
  return lines.join('\n');
}

/** The expert's answer text (`ResponseVIRL`), first person as in the paper's Fig. 13. */
export function expertAnswer(observation: string, instruction: string, action: string): string {
  const firstPerson = observation.replace(/\byour\b/g, 'my').replace(/\bYou observe\b/g, 'I observe').trim();
  const q = (v: string) => JSON.stringify(v);
  return `{\n  "current observation": ${q(firstPerson)},\n  "current instruction": ${q(instruction)},\n  "action": ${q(action)},\n}`;
}
