/**
 * Soak test (not part of `npm test`): `npm run soak -- [--n 20] [--seed 1]`.
 *
 * Kill/resume: trains a tiny GeneralPoints experiment (init, SFT and RL runs) once without
 * interruption, then N times with the worker SIGKILLed at a random moment (a random progress
 * event of any phase, plus a random delay, so kills land mid-step, mid-evaluation and mid-save) and
 * resumed to the end. Every resumed experiment must match the uninterrupted one: the same metric
 * lines (timings aside, labels included) and the same final weights.
 *
 * WebSocket abuse: every malformed frame of test/helpers/ws-abuse.ts, N times over, against a
 * browser-mode server in its own process, which must answer a fresh connection after each.
 *
 * Prints kills, resumes, steps lost, metric differences and server restarts; exits 1 when any
 * count is off (kills = resumes = N, steps lost ≤ the checkpoint interval per kill, the rest 0).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { JobEvent } from '../../shared/api/events';
import type { ExperimentConfig } from '../../shared/experiments/config';
import { GP_RULE } from '../../shared/experiments/presets';
import { JobEventBus } from '../../electron/jobs/events';
import { JobManager } from '../../electron/jobs/manager';
import { spawnNodeWorker } from '../../electron/jobs/spawn-node';
import { createRng } from '../../shared/util/rng';
import { BAD_FRAMES, closeCodeAfter, handshake, settingsGet } from '../helpers/ws-abuse';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const N = flag('n', 20);
const rng = createRng(flag('seed', 1));
const ID = 'soak';

function config(): ExperimentConfig {
  const c = JSON.parse(JSON.stringify(GP_RULE)) as ExperimentConfig;
  c.model = { width: 16, layers: 1, heads: 2, context: 80, ffnMult: 2 };
  c.base = { ...c.base, steps: 16, multiTurnSteps: 4, batch: 4 };
  c.initSft = { ...c.initSft, steps: 4 };
  c.sft = { ...c.sft, steps: 12, batch: 4 };
  c.rl = { ...c.rl, steps: 8, promptsPerStep: 2, groupSize: 2 };
  c.eval = { ...c.eval, everySteps: 4, idEpisodes: 3, oodEpisodes: 3 };
  c.checkpointEvery = 4;
  return c;
}

interface Outcome {
  status: string;
  /** Last step reported per run before the end (or the kill). */
  lastStep: Map<string, number>;
  /** Steps resumed from, per run (from the worker's "resuming at step N" log). */
  resumedAt: Map<string, number>;
  progressEvents: number;
}

/** Runs the experiment job until it ends, or kills its worker after `killAfter` progress events. */
function runJob(dataDir: string, killAfter?: { events: number; delayMs: number }): Promise<Outcome> {
  const bus = new JobEventBus();
  const jobs = new JobManager(bus, spawnNodeWorker);
  const out: Outcome = { status: '', lastStep: new Map(), resumedAt: new Map(), progressEvents: 0 };
  return new Promise((resolve) => {
    let killing = false;
    bus.subscribe((e: JobEvent) => {
      if (e.type === 'progress') {
        out.progressEvents++;
        out.lastStep.set(`${ID}-${e.stage}`, e.step); // the run id, as the worker's log names it
        if (killAfter && !killing && out.progressEvents >= killAfter.events) {
          killing = true;
          setTimeout(() => jobs.shutdown(), killAfter.delayMs);
        }
      } else if (e.type === 'log') {
        const m = /^(\S+): resuming at step (\d+)/.exec(e.message);
        if (m) out.resumedAt.set(m[1] as string, Number(m[2]));
      } else if (e.type === 'status' && e.status !== 'running') {
        out.status = e.status;
        resolve(out);
      }
    });
    jobs.start({ kind: 'experiment', runId: ID, dataDir, resume: true, payload: { id: ID, config: config() }, backend: 'cpu' });
  });
}

/** Metric lines without wall-clock timings (which differ between any two runs), as text. */
function stableMetrics(runDir: string): string[] {
  const file = path.join(runDir, 'metrics.jsonl');
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => {
    const r = JSON.parse(line) as Record<string, unknown>;
    return JSON.stringify(Object.fromEntries(Object.entries(r).filter(([k]) => !k.startsWith('perf/') && !k.endsWith('_per_s'))));
  });
}

function finalWeights(runDir: string): string | null {
  const file = path.join(runDir, 'checkpoints', 'final.json');
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { sha256: string }).sha256 : null;
}

/** Differences between two data directories' runs: metric lines and final weights. */
function differences(a: string, b: string): string[] {
  const diffs: string[] = [];
  const runs = [...new Set([...fs.readdirSync(a), ...fs.readdirSync(b)])].filter((d) => d.startsWith(`${ID}-`)).sort();
  for (const run of runs) {
    const ma = stableMetrics(path.join(a, run));
    const mb = stableMetrics(path.join(b, run));
    if (ma.length !== mb.length) diffs.push(`${run}: ${ma.length} metric lines vs ${mb.length}`);
    else ma.forEach((l, i) => l !== mb[i] && diffs.push(`${run} line ${i + 1}: ${l} vs ${mb[i]}`));
    if (finalWeights(path.join(a, run)) !== finalWeights(path.join(b, run))) diffs.push(`${run}: final weights differ`);
  }
  return diffs;
}

async function killResume(root: string): Promise<{ kills: number; resumes: number; stepsLost: number; worstLoss: number; differences: number; failures: string[] }> {
  const reference = path.join(root, 'reference');
  const ref = await runJob(reference);
  if (ref.status !== 'completed') throw new Error(`the uninterrupted experiment ended ${ref.status}`);
  console.log(`reference: ${ref.progressEvents} progress events across ${[...ref.lastStep.keys()].join(', ')}`);
  let kills = 0, resumes = 0, stepsLost = 0, worstLoss = 0, diffCount = 0;
  const failures: string[] = [];
  for (let i = 0; i < N; i++) {
    const dir = path.join(root, `cycle-${i}`);
    const killAt = { events: 1 + rng.int(ref.progressEvents - 1), delayMs: rng.int(400) };
    const killed = await runJob(dir, killAt);
    if (killed.status === 'completed') {
      failures.push(`cycle ${i}: finished before the kill (after event ${killAt.events})`);
      continue;
    }
    kills++;
    const resumed = await runJob(dir);
    resumes++;
    if (resumed.status !== 'completed') failures.push(`cycle ${i}: the resume ended ${resumed.status}`);
    // Steps lost: the killed run's last reported step minus the step its resume started from.
    let lost = 0;
    for (const [run, step] of killed.lastStep) {
      const from = resumed.resumedAt.get(run) ?? (resumed.lastStep.has(run) ? 0 : step);
      lost = Math.max(lost, step - from);
    }
    stepsLost += lost;
    worstLoss = Math.max(worstLoss, lost);
    const diffs = differences(reference, dir);
    diffCount += diffs.length;
    for (const d of diffs.slice(0, 3)) failures.push(`cycle ${i}: ${d}`);
    console.log(`cycle ${i + 1}/${N}: killed after progress event ${killAt.events} (+${killAt.delayMs} ms), resumed, ${lost} steps lost, ${diffs.length} differences`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { kills, resumes, stepsLost, worstLoss, differences: diffCount, failures };
}

async function wsAbuse(): Promise<{ frames: number; rightCode: number; restarts: number; failures: string[] }> {
  const child = spawn(process.execPath, [path.resolve('bin/run-ts.mjs'), path.resolve('test/fixtures/server/serve-child.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
  let restarts = 0;
  child.on('exit', () => restarts++);
  const { port, token } = await new Promise<{ port: number; token: string }>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0] as string) as { port: number; token: string });
    });
    child.on('exit', () => reject(new Error('the server did not start')));
  });
  let frames = 0, rightCode = 0;
  const failures: string[] = [];
  try {
    for (let i = 0; i < N; i++) {
      for (const [name, bytes, code] of BAD_FRAMES) {
        frames++;
        try {
          const got = await closeCodeAfter(await handshake(port, token), bytes);
          if (got === code) rightCode++;
          else failures.push(`${name}: close code ${got}, expected ${code}`);
          await settingsGet(port, token);
        } catch (error) {
          failures.push(`${name}: ${(error as Error).message}`);
        }
      }
    }
  } finally {
    child.removeAllListeners('exit'); // our own SIGTERM below is no restart
    child.kill('SIGTERM');
  }
  return { frames, rightCode, restarts, failures };
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sftrl-soak-'));
try {
  const interval = config().checkpointEvery;
  const kr = await killResume(root);
  const ws = await wsAbuse();
  console.log('');
  console.log(`kills ${kr.kills}, resumes ${kr.resumes}, steps lost ${kr.stepsLost} (at most ${kr.worstLoss} per kill; checkpoint interval ${interval}), metric differences ${kr.differences}, server restarts ${ws.restarts}, malformed frames closed with the right code ${ws.rightCode}/${ws.frames}`);
  const failures = [...kr.failures, ...ws.failures];
  if (kr.kills !== N || kr.resumes !== N) failures.push(`expected ${N} kills and resumes`);
  if (kr.worstLoss > interval) failures.push(`a kill lost ${kr.worstLoss} steps, more than the checkpoint interval ${interval}`);
  for (const f of failures) console.log(`FAIL ${f}`);
  process.exitCode = failures.length === 0 ? 0 : 1;
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
