/**
 * The local Slurm cluster for the sweep tests (scripts/slurm-local.sh starts it; .ci/run does so
 * in CI). Tests that need it skip, saying why, where it is not running — unless
 * SFTRL_REQUIRE_SLURM=1 (CI), where its absence is a failure.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';

export const SLURM_SCRIPT = path.resolve('scripts/slurm-local.sh');

/** Null when the cluster is up, else why the Slurm tests cannot run here. */
export function slurmMissing(): string | null {
  const sinfo = spawnSync('sinfo', ['--version'], { encoding: 'utf8' });
  if (sinfo.error) return 'Slurm is not installed (no sinfo on the PATH; apt-get install -y slurmctld slurmd slurm-client munge)';
  if (spawnSync(SLURM_SCRIPT, ['--status']).status !== 0) return `Slurm is installed but its node is not up (start it with sudo ${path.relative(process.cwd(), SLURM_SCRIPT)})`;
  return null;
}

/** Slurm's view of tasks, `<job>_<index>` → state, from squeue (which remembers ended jobs for minutes). */
export function squeueStates(jobIds: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const text = execFileSync('squeue', ['-h', '-r', '-t', 'all', '-j', jobIds.join(','), '-o', '%i|%T'], { encoding: 'utf8' });
  for (const line of text.split('\n')) {
    const [id, state] = line.trim().split('|');
    if (id && state) out.set(id, state);
  }
  return out;
}

/** Polls a condition until it holds (tests wait on conditions, never fixed sleeps). */
export async function waitUntil<T>(what: string, probe: () => T | Promise<T>, timeoutMs: number, intervalMs = 500): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
