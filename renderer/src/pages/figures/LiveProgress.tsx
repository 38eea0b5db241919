/** One progress bar per running stage, from job events (no polling). */
import type { StageProgress } from './useDashboardData';

function eta(s: number | null): string {
  if (s === null) return 'ETA …';
  if (s < 90) return `ETA ${Math.round(s)} s`;
  return `ETA ${Math.round(s / 60)} min`;
}

export function LiveProgress({ items }: { items: StageProgress[] }) {
  if (items.length === 0) return null;
  return (
    <div className="fig-live card" data-testid="live-progress">
      <strong>Live</strong>
      {items.map((p) => (
        <div key={`${p.runId}/${p.stage}`} className="fig-progress">
          <span className="fig-progress-label">{p.runId} · {p.stage}</span>
          <progress max={Math.max(1, p.total)} value={p.step} />
          <span className="muted">{p.step}/{p.total} · {p.status && p.status !== 'running' ? p.status : eta(p.etaSeconds)}</span>
        </div>
      ))}
    </div>
  );
}
