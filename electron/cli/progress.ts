/** Terminal progress for jobs: a redrawn bar on a TTY, one line per 10% otherwise (logs, CI). */
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

export function progressPrinter(io: CliIo, tty = Boolean(process.stdout.isTTY)): (event: JobEvent) => void {
  const lastDecile = new Map<string, number>();
  return (event) => {
    if (event.type === 'log') return io.err(`${event.level === 'info' ? '' : `${event.level}: `}${event.message}`);
    if (event.type === 'status') {
      if (tty) process.stdout.write('\n');
      return io.out(`job ${event.status}${event.message ? `: ${event.message}` : ''}`);
    }
    const extras = SHOWN.filter((k) => event.metrics[k] !== undefined).map((k) => `${k.split('/').slice(-2).join('/')} ${(event.metrics[k] as number).toFixed(3)}`);
    const line = `${event.stage.padEnd(15)} ${bar(event.step, event.total)} ${event.step}/${event.total}  ETA ${formatDuration(event.etaSeconds)}  ${extras.join('  ')}`;
    if (tty) {
      process.stdout.write(`\r${line.padEnd(120)}`);
      if (event.step === event.total) process.stdout.write('\n');
      return;
    }
    const decile = Math.floor((event.step / Math.max(1, event.total)) * 10);
    if (decile !== lastDecile.get(event.stage) || event.step === event.total) {
      lastDecile.set(event.stage, decile);
      io.out(line);
    }
  };
}
