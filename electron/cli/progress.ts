/**
 * Terminal progress for queued jobs. One job on a TTY: a redrawn bar. Several (an experiment's
 * runs, seeds side by side) or no TTY (logs, CI): one line per run per 10%, each prefixed with its
 * run, since redrawn bars of concurrent runs would overwrite each other.
 */
import type { JobEvent } from '../../shared/api/events';
import type { CliIo } from './command';

function bar(step: number, total: number, width = 24): string {
  const filled = total > 0 ? Math.round((step / total) * width) : 0;
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '…';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

const SHOWN = ['train/loss', 'rl/reward', 'eval/id/success', 'eval/ood/success'];

export interface ProgressOptions {
  tty?: boolean;
  /** Several jobs may run at once: every line names its run. */
  multi?: boolean;
}

export function progressPrinter(io: CliIo, { tty = Boolean(process.stdout.isTTY), multi = false }: ProgressOptions = {}): (event: JobEvent) => void {
  const redraw = tty && !multi;
  const lastDecile = new Map<string, number>();
  const runOfJob = new Map<string, string>();
  const prefix = (runId: string | undefined) => (multi && runId ? `${runId}  ` : '');
  return (event) => {
    if (event.type === 'log') {
      const runId = runOfJob.get(event.jobId);
      return io.err(`${prefix(runId)}${event.level === 'info' ? '' : `${event.level}: `}${event.message}`);
    }
    if (event.type === 'status') {
      runOfJob.set(event.jobId, event.runId);
      if (redraw) process.stdout.write('\n');
      return io.out(`${multi ? event.runId : 'job'} ${event.status}${event.message ? `: ${event.message}` : ''}`);
    }
    const extras = SHOWN.filter((k) => event.metrics[k] !== undefined).map((k) => `${k.split('/').slice(-2).join('/')} ${(event.metrics[k] as number).toFixed(3)}`);
    const memory = event.rssMb !== undefined ? `  ${event.rssMb} MB` : '';
    const line = `${prefix(event.runId)}${event.stage.padEnd(15)} ${bar(event.step, event.total)} ${event.step}/${event.total}  ETA ${formatDuration(event.etaSeconds)}${memory}  ${extras.join('  ')}`;
    if (redraw) {
      process.stdout.write(`\r${line.padEnd(120)}`);
      if (event.step === event.total) process.stdout.write('\n');
      return;
    }
    const key = `${event.jobId}/${event.stage}`;
    const decile = Math.floor((event.step / Math.max(1, event.total)) * 10);
    if (decile !== lastDecile.get(key) || event.step === event.total) {
      lastDecile.set(key, decile);
      io.out(line);
    }
  };
}
