/**
 * Sweeps on the Figures page: pick one to select its runs (group them by a grid field or seed in
 * the view), with its runs' Slurm states; the figure follows the sweep live, since Slurm tasks
 * send this app no events.
 */
import { useState } from 'react';
import { sweepStates, useSweeps } from '../../components/SweepsPanel';

export function SweepPicker({ dataDir, existing, onSelect, onChange }: { dataDir: string | undefined; existing: ReadonlySet<string>; onSelect(ids: string[]): void; onChange(): void }) {
  const { sweeps } = useSweeps(dataDir, onChange);
  const [chosen, setChosen] = useState('');
  if (sweeps.length === 0) return null;
  const sweep = sweeps.find((s) => s.id === chosen) ?? sweeps[0];
  const ids = sweep ? sweep.runs.map((r) => r.runId).filter((id) => existing.has(id)) : [];
  return (
    <div className="fig-sweeps card" data-testid="figure-sweeps">
      <label>
        Sweep{' '}
        <select value={sweep?.id ?? ''} onChange={(e) => setChosen(e.target.value)} aria-label="Sweep">
          {sweeps.map((s) => <option key={s.id} value={s.id}>{s.id}{s.done ? '' : ' (in progress)'}</option>)}
        </select>
      </label>
      <button type="button" disabled={ids.length === 0} onClick={() => onSelect(ids)}>Select its {ids.length} runs</button>
      {sweep ? <span className="muted" data-testid="sweep-states">{sweep.executor === 'slurm' ? 'Slurm: ' : ''}{sweepStates(sweep)}</span> : null}
    </div>
  );
}
