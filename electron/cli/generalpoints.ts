/**
 * `sftrl gp …`: GeneralPoints from the command line: deal a hand, solve cards, verify an answer,
 * print solvability statistics, or fill an episodes file with expert or random-policy episodes.
 */
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { episodeRecordSchema } from '../../shared/api/episode';
import { gpEpisodeRecord, type GpPlayedStep } from '../../shared/tasks/generalpoints/episode';
import { makeEnv } from '../../shared/tasks/registry';
import { createRng, type Rng } from '../../shared/util/rng';
import {
  GP_ENV_ID, VALUE_MAPS, dealHand, expertAnswer, handFromCards, parseValueMap, rankLabel, resolveVariant,
  solvableStats, solveAll, variantSplit, verifyAnswer, type GpHand, type RgbImage, type GpVariant,
} from '../../shared/tasks/generalpoints/index';
import { UsageError, parseFlags, type CliCommand, type CliIo } from './command';

const VARIANT_FLAGS = { rule: 'string', target: 'number', values: 'string', colors: 'string', vision: 'boolean', draw: 'string', json: 'boolean' } as const;

const USAGE = `usage: sftrl gp <deal|solve|verify|stats|episodes> [flags]

  deal      --seed S [--image FILE.png] [--image-size WxH] [--paper]   deal the hand of a seed
  solve     --cards "8,3,8,3" [--all]                                  all solutions (canonical first)
  verify    --cards "J,3,7,2" --answer TEXT [--reference]               verdict, reward, feedback
  stats                                                                 solvable hands under the rule
  episodes  --policy expert|random --n N --seed S [--out FILE]          write an episodes file (JSONL)
            [--limit V] [--reference] [--prompt compact|paper]

variant flags (all subcommands):
  --rule face10|face11-13   card values (default face10: J, Q, K count 10)
  --target N                number to reach (default 24)
  --values LIST             custom values: 13 numbers A..K, or overrides like "J=11,Q=12,K=13"
  --colors black|red|mixed  suit colours (default mixed)
  --vision                  vision variant (the answer must name the cards)
  --draw without-replacement|with-replacement   (default without-replacement)
  --json                    machine-readable output
--reference uses the reference code's verifier (summed penalties, +1 partial, float evaluation); for
"episodes" also its extra, unevaluated over-limit step (−1) after the last allowed attempt.`;

type Flags = Record<string, string | number | boolean>;

function variantFrom(flags: Flags): Partial<GpVariant> {
  const v: Partial<GpVariant> = {};
  if (flags.rule !== undefined) v.rule = String(flags.rule) as GpVariant['rule'];
  if (flags.target !== undefined) v.target = Number(flags.target);
  if (flags.colors !== undefined) v.colors = String(flags.colors) as GpVariant['colors'];
  if (flags.draw !== undefined) v.draw = String(flags.draw) as GpVariant['draw'];
  if (flags.vision === true) v.vision = true;
  if (flags.values !== undefined) {
    const base = VALUE_MAPS[v.rule === 'face11-13' ? 'face11-13' : 'face10'];
    const parsed = parseValueMap(String(flags.values), base);
    if (!parsed.ok) throw new UsageError(`--values: ${parsed.error}`);
    v.values = parsed.values;
  }
  const check = resolveVariant(v);
  if (!check.ok) throw new UsageError(check.error);
  return v;
}

function need(flags: Flags, name: string, kind: 'string' | 'number'): string | number {
  const v = flags[name];
  if (v === undefined) throw new UsageError(`missing --${name}`);
  if (kind === 'number' && (typeof v !== 'number' || !Number.isInteger(v))) throw new UsageError(`--${name} must be an integer`);
  return v as string | number;
}

function handOrUsage(flags: Flags): GpHand {
  const h = handFromCards(String(need(flags, 'cards', 'string')), variantFrom(flags));
  if (!h.ok) throw new UsageError(h.error);
  return h.value;
}

/** A minimal PNG (RGB, 8 bit) so a dealt image can be looked at. */
function encodePng(img: RgbImage): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer): number => {
    let c = 0xffffffff;
    for (const x of b) c = (crcTable[(c ^ x) & 0xff] as number) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(img.width, 0);
  ihdr.writeUInt32BE(img.height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const raw = Buffer.alloc((img.width * 3 + 1) * img.height);
  for (let y = 0; y < img.height; y++) raw.set(img.data.subarray(y * img.width * 3, (y + 1) * img.width * 3), y * (img.width * 3 + 1) + 1);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

function deal(flags: Flags, io: CliIo): number {
  let imageSize: { width: number; height: number } | undefined;
  if (flags['image-size'] !== undefined) {
    const m = /^(\d+)x(\d+)$/.exec(String(flags['image-size']));
    if (!m) throw new UsageError('--image-size must look like 96x48');
    imageSize = { width: Number(m[1]), height: Number(m[2]) };
  }
  const variant = variantFrom(flags);
  if (flags.image !== undefined) variant.vision = true;
  const d = dealHand({ seed: Number(need(flags, 'seed', 'number')), ...variant, imageSize });
  if (!d.ok) throw new UsageError(d.error);
  const v = d.value;
  if (flags.image !== undefined && v.image) writeFileSync(String(flags.image), encodePng(v.image));
  if (flags.json) {
    io.out(JSON.stringify({ cards: v.hand.cards, labels: v.labels, values: v.values, variant: v.hand.variant, split: v.split, solutions: v.solutions, expertAnswer: v.expertAnswer, compactPrompt: v.compactPrompt, paperPrompt: v.paperPrompt }));
    return 0;
  }
  io.out(`cards: ${v.display.map((c) => c.rankLabel + c.suitSymbol).join(' ')}   values: ${v.values.join(', ')}   target: ${v.hand.variant.target}   split: ${v.split}`);
  io.out(`solutions (${v.solutions.length}): ${v.solutions.slice(0, 8).join('   ')}${v.solutions.length > 8 ? '   …' : ''}`);
  io.out(flags.paper ? v.paperPrompt : `compact prompt:\n${v.compactPrompt}`);
  if (flags.image !== undefined) io.out(`image written to ${String(flags.image)}`);
  return 0;
}

function solve(flags: Flags, io: CliIo): number {
  const hand = handOrUsage(flags);
  const sols = solveAll(hand.values, hand.variant.target);
  if (flags.json) io.out(JSON.stringify({ values: hand.values, target: hand.variant.target, solutions: sols }));
  else if (sols.length === 0) io.out(`${hand.values.join(', ')} cannot make ${hand.variant.target}`);
  else io.out((flags.all ? sols : sols.slice(0, 10)).join('\n') + (!flags.all && sols.length > 10 ? `\n… ${sols.length} in all (--all)` : ''));
  return 0;
}

function verify(flags: Flags, io: CliIo): number {
  const hand = handOrUsage(flags);
  const r = verifyAnswer(hand, String(need(flags, 'answer', 'string')), { referenceQuirks: flags.reference === true });
  if (flags.json) io.out(JSON.stringify(r));
  else io.out(`${r.verdict}  reward ${r.reward}\n${r.feedback}`);
  return 0;
}

function stats(flags: Flags, io: CliIo): number {
  const v = resolveVariant(variantFrom(flags));
  if (!v.ok) throw new UsageError(v.error);
  const s = solvableStats(v.variant.values, v.variant.target);
  if (flags.json) io.out(JSON.stringify({ rule: v.variant.rule, target: v.variant.target, values: v.variant.values, ...s }));
  else {
    const pct = (x: number): string => (100 * x).toFixed(2) + '%';
    io.out(`${s.solvable} of ${s.multisets} distinct 4-rank hands can make ${v.variant.target} (${s.solvableWithFace} of the ${s.faceMultisets} with a face card)`);
    io.out(`P(solvable) for 4 cards drawn from the deck: ${pct(s.pDeck)}; given a face card: ${pct(s.pDeckGivenFace)}; with replacement: ${pct(s.pWithReplacement)}`);
  }
  return 0;
}

/** A random policy: mostly random formulas over the card values, some with a wrong number, some junk. */
function randomAnswer(rng: Rng, hand: GpHand): string {
  const roll = rng.next();
  if (roll < 0.15) return Array.from({ length: 1 + rng.int(30) }, () => '0123456789+-*/() abcxyz{}:"'[rng.int(27)]).join('');
  const nums = rng.shuffle(hand.values).map(String);
  if (roll < 0.3) nums[rng.int(4)] = String(1 + rng.int(13));
  const op = (): string => '+-*/'[rng.int(4)] as string;
  const [a, b, c, d] = nums as [string, string, string, string];
  const shapes = [`${a}${op()}${b}${op()}${c}${op()}${d}`, `(${a}${op()}${b})${op()}(${c}${op()}${d})`, `(${a}${op()}${b}${op()}${c})${op()}${d}`, `${a}${op()}(${b}${op()}(${c}${op()}${d}))`];
  return `{\n  "cards": [${hand.cards.map((x) => `'${rankLabel(x.rank)}'`).join(', ')}],\n  "formula": "${rng.pick(shapes)}=${hand.variant.target}",\n}`;
}

function episodes(flags: Flags, io: CliIo): number {
  const policy = String(need(flags, 'policy', 'string'));
  if (policy !== 'expert' && policy !== 'random') throw new UsageError(`--policy must be expert or random, got "${policy}"`);
  const n = Number(need(flags, 'n', 'number'));
  if (n < 1 || n > 1_000_000) throw new UsageError('--n must be from 1 to 1000000');
  const seed = Number(flags.seed ?? 0);
  if (!Number.isInteger(seed)) throw new UsageError('--seed must be an integer');
  const prompt = String(flags.prompt ?? 'compact');
  if (prompt !== 'compact' && prompt !== 'paper') throw new UsageError('--prompt must be compact or paper');
  const limit = Number(flags.limit ?? 5);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10) throw new UsageError('--limit must be an integer from 1 to 10');
  const referenceQuirks = flags.reference === true;
  // --reference is the reference code's behaviour throughout: its verifier and its extra over-limit step.
  const env = makeEnv(GP_ENV_ID, { variant: variantFrom(flags), verificationLimit: limit, referenceQuirks, overLimitStep: referenceQuirks });
  const rng = createRng(seed ^ 0x5bd1e995);
  const lines: string[] = [];
  let solved = 0;
  const actor = { kind: policy, name: policy === 'expert' ? 'expert (canonical solution)' : 'random policy' } as const;
  for (let i = 0; i < n; i++) {
    const { observation } = env.reset({ seed: seed + i });
    const hand = env.currentHand as GpHand;
    const steps: GpPlayedStep[] = [];
    let obs = observation, done = false;
    while (!done) {
      const shown = prompt === 'compact' ? obs.compactPrompt : obs.paperMessages.map((m) => `${m.role}: ${m.content}`).join('\n\n');
      const output = policy === 'expert' ? (expertAnswer(hand) as string) : randomAnswer(rng, hand);
      const result = env.step(output);
      steps.push({ prompt: shown, output, result });
      obs = result.observation;
      done = result.terminated || result.truncated;
    }
    const record = gpEpisodeRecord({
      hand, variant: { ...hand.variant, verificationLimit: limit, referenceQuirks, prompt }, seed: seed + i, split: variantSplit(hand.variant),
      actor, verificationLimit: limit, steps, createdAt: new Date().toISOString(),
    });
    if (record.success) solved++;
    const check = episodeRecordSchema.safeParse(record);
    if (!check.success) throw new Error(`internal: episode record does not match the schema: ${check.error.message}`);
    lines.push(JSON.stringify(record));
  }
  const text = lines.join('\n') + '\n';
  if (flags.out !== undefined) {
    writeFileSync(String(flags.out), text);
    io.out(flags.json ? JSON.stringify({ episodes: n, solved, out: String(flags.out) }) : `wrote ${n} episodes (${solved} solved) to ${String(flags.out)}`);
  } else io.out(text.trimEnd());
  return 0;
}

const SUBCOMMANDS: Record<string, { flags: Record<string, 'string' | 'number' | 'boolean'>; run: (f: Flags, io: CliIo) => number }> = {
  deal: { flags: { ...VARIANT_FLAGS, seed: 'number', image: 'string', 'image-size': 'string', paper: 'boolean' }, run: deal },
  solve: { flags: { ...VARIANT_FLAGS, cards: 'string', all: 'boolean' }, run: solve },
  verify: { flags: { ...VARIANT_FLAGS, cards: 'string', answer: 'string', reference: 'boolean' }, run: verify },
  stats: { flags: { ...VARIANT_FLAGS }, run: stats },
  episodes: { flags: { ...VARIANT_FLAGS, policy: 'string', n: 'number', seed: 'number', out: 'string', limit: 'number', reference: 'boolean', prompt: 'string' }, run: episodes },
};

export const gpCommand: CliCommand = {
  name: 'gp',
  summary: 'GeneralPoints: deal, solve, verify, stats, episodes',
  usage: USAGE,
  async run(args: string[], io: CliIo): Promise<number> {
    const [sub, ...rest] = args;
    if (sub === undefined || sub === '--help' || sub === 'help') {
      io.out(USAGE);
      return sub === undefined ? 2 : 0;
    }
    const spec = SUBCOMMANDS[sub];
    if (spec && rest.includes('--help')) {
      io.out(USAGE);
      return 0;
    }
    if (!spec) {
      io.err(`unknown gp subcommand "${sub}" (use deal, solve, verify, stats or episodes)`);
      return 2;
    }
    try {
      const { flags, positional } = parseFlags(rest, spec.flags);
      if (positional.length > 0) throw new UsageError(`unexpected argument "${positional[0]}" (values go after a --flag)`);
      return spec.run(flags, io);
    } catch (e) {
      if (e instanceof UsageError) {
        io.err(`sftrl gp ${sub}: ${e.message}`);
        return 2;
      }
      io.err(`sftrl gp ${sub}: ${(e as Error).message}`);
      return 1;
    }
  },
};
