/** Filters of the episode browser, each menu listing what the file holds, with counts. */
import { NO_FILTER, tally, type EpisodeFilter, type GpEpisodeView } from './episodes';
import { verdictText } from './verdicts';

type Option = [value: string, count: number, text?: string];

function Menu({ name, label, value, options, all, onChange }: { name: string; label: string; value: string; options: Option[]; all: string; onChange(v: string): void }) {
  return (
    <label className="gp-filter">
      <span>{label}</span>
      <select name={name} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{all}</option>
        {options.map(([v, n, text]) => <option key={v} value={v}>{`${text ?? v} (${n})`}</option>)}
      </select>
    </label>
  );
}

export function EpisodeFilters({ episodes, filter, onChange }: { episodes: GpEpisodeView[]; filter: EpisodeFilter; onChange(f: EpisodeFilter): void }) {
  const set = (patch: Partial<EpisodeFilter>) => onChange({ ...filter, ...patch });
  const solved = episodes.filter((e) => e.success).length;
  const outcomes = [['all', `All (${episodes.length})`], ['solved', `Solved (${solved})`], ['failed', `Failed (${episodes.length - solved})`]] as const;
  const reasons = tally(episodes, (e) => (e.success ? null : e.lastVerdict)).map(([v, n]): Option => [v, n, verdictText(v)]);
  const splits = tally(episodes, (e) => e.split).map(([v, n]): Option => [v, n, v.toUpperCase()]);
  const filtered = JSON.stringify(filter) !== JSON.stringify(NO_FILTER);
  return (
    <div className="card gp-filters" role="group" aria-label="Filter episodes">
      <div className="gp-filters-top">
        <div className="gp-segmented" role="radiogroup" aria-label="Outcome">
          {outcomes.map(([id, text]) => (
            <label key={id} className={filter.outcome === id ? 'active' : undefined}>
              {/* A reason only makes sense for failed episodes: choosing "solved" clears it. */}
              <input type="radio" name="outcome" value={id} checked={filter.outcome === id} onChange={() => set({ outcome: id, reason: id === 'solved' ? '' : filter.reason })} />
              {text}
            </label>
          ))}
        </div>
        {filtered ? <button type="button" className="link gp-clear" onClick={() => onChange(NO_FILTER)}>Clear filters</button> : null}
      </div>
      <div className="gp-filters-grid">
        <Menu name="reason" label="Failed on" value={filter.reason} all="any reason" options={reasons} onChange={(reason) => set({ reason, outcome: reason ? 'failed' : filter.outcome })} />
        <Menu name="variant" label="Variant" value={filter.variant} all="all variants" options={tally(episodes, (e) => e.variant)} onChange={(variant) => set({ variant })} />
        <Menu name="split" label="Split" value={filter.split} all="ID and OOD" options={splits} onChange={(split) => set({ split: split as EpisodeFilter['split'] })} />
        <Menu name="actor" label="Actor" value={filter.actor} all="all actors" options={tally(episodes, (e) => e.actor)} onChange={(actor) => set({ actor })} />
      </div>
    </div>
  );
}
