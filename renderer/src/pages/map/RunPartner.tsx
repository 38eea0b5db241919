/**
 * B from another run's episodes file (e.g. the SFT run's evaluation beside the RL run's): a run
 * and one of its files. The episode shown is the one on A's route (model.ts matchOnRoute), so
 * stepping through A's file keeps B on the same route.
 */
import { useEffect } from 'react';
import type { RunSummary } from '../../../../shared/api/runs';
import { getApi } from '../../api/client';
import { useAsync } from '../../hooks';

export interface RunPartnerRef { id: string; file: string }

const VIRL = 'VirlNav-v0';

/** Runs of A's experiment first (an id sharing A's prefix up to the branch), the rest after. */
export function orderRuns(runs: readonly RunSummary[], aRun: string | undefined): RunSummary[] {
  const virl = runs.filter((r) => r.task === VIRL && r.status !== 'corrupt');
  const prefix = aRun ? aRun.replace(/-[^-]+$/, '-') : null;
  const rank = (r: RunSummary) => (r.id === aRun ? 2 : prefix && r.id.startsWith(prefix) ? 0 : 1);
  return [...virl].sort((x, y) => rank(x) - rank(y));
}

/** The file of B's run to compare: A's file name when it has one, else the latest of the same split, else the first. */
export function defaultFile(files: readonly string[], aFile: string | undefined): string {
  if (aFile && files.includes(aFile)) return aFile;
  const split = aFile ? /^eval-([a-z]+)-/.exec(aFile)?.[1] : undefined;
  const same = split ? files.filter((f) => f.startsWith(`eval-${split}-`)).sort() : [];
  return same.at(-1) ?? files[0] ?? '';
}

export function RunPartnerPicker({ value, aRun, onChange }: {
  value: RunPartnerRef;
  /** The run and file A was opened from, when it came from a run. */
  aRun: { id: string; file: string } | undefined;
  onChange(v: RunPartnerRef): void;
}) {
  const runs = useAsync(() => getApi().listRuns({}), []);
  const ordered = runs.data ? orderRuns(runs.data, aRun?.id) : [];
  const files = useAsync(() => (value.id ? getApi().getRun({ id: value.id }).then((d) => d.episodeFiles) : Promise.resolve([])), [value.id]);

  // Fill in what is not chosen yet: a sibling of A's run, then its file matching A's.
  useEffect(() => {
    if (!value.id && ordered[0] && ordered[0].id !== aRun?.id) onChange({ id: ordered[0].id, file: '' });
  }, [value.id, ordered[0]?.id]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    const list = files.data;
    if (!value.id || !list || files.loading || list.includes(value.file)) return;
    const file = defaultFile(list, aRun?.file);
    if (file) onChange({ id: value.id, file });
  }, [files.data, files.loading]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <>
      <label>B run
        <select name="partnerRun" value={value.id} onChange={(e) => onChange({ id: e.target.value, file: value.file })}>
          {value.id ? null : <option value="">—</option>}
          {ordered.map((r) => <option key={r.id} value={r.id}>{r.id}{r.method ? ` (${r.method})` : ''}</option>)}
        </select>
      </label>
      <label>B file
        <select name="partnerFile" value={value.file} onChange={(e) => onChange({ id: value.id, file: e.target.value })}>
          {files.data?.includes(value.file) ? null : <option value={value.file}>{value.file || '—'}</option>}
          {(files.data ?? []).map((f) => <option key={f} value={f}>{f}</option>)}
        </select>
      </label>
      {runs.error ? <span className="banner error" role="alert">{runs.error}</span> : null}
      {files.error ? <span className="banner error" role="alert">{files.error}</span> : null}
    </>
  );
}
