/**
 * The run table: a filter per column (substring; matches task, variant, method, seed, status…),
 * configurable columns remembered in settings, and a checkbox per run for the figure.
 */
import { useMemo, useState } from 'react';
import type { RunCatalogRow } from '../../../../shared/api/channels/metrics';

const BUILTIN = ['name', 'id', 'status', 'points'] as const;

export function cellValue(row: RunCatalogRow, col: string): string {
  if (col === 'name') return row.name;
  if (col === 'id') return row.id;
  if (col === 'status') return row.status;
  if (col === 'points') return String(row.points);
  if (col.startsWith('last:')) {
    const v = row.last[col.slice(5)];
    return v === undefined ? '' : Number.isInteger(v) ? String(v) : v.toPrecision(3);
  }
  const v = row.fields[col];
  return v === undefined || v === null ? '' : String(v);
}

export function availableColumns(rows: readonly RunCatalogRow[]): string[] {
  const fields = new Set<string>();
  const metrics = new Set<string>();
  for (const r of rows) {
    Object.keys(r.fields).forEach((f) => fields.add(f));
    r.keys.filter((k) => k.startsWith('eval/')).forEach((k) => metrics.add(`last:${k}`));
  }
  return [...BUILTIN, ...[...fields].sort(), ...[...metrics].sort()];
}

export function RunTable({ rows, columns, selected, onSelect, onColumns }: {
  rows: RunCatalogRow[];
  columns: string[];
  selected: ReadonlySet<string>;
  onSelect(ids: string[], on: boolean): void;
  onColumns(cols: string[]): void;
}) {
  const [filters, setFilters] = useState<Record<string, string>>({});
  const all = useMemo(() => availableColumns(rows), [rows]);
  const visible = useMemo(
    () => rows.filter((r) => Object.entries(filters).every(([c, f]) => !f || cellValue(r, c).toLowerCase().includes(f.toLowerCase()))),
    [rows, filters],
  );
  const allOn = visible.length > 0 && visible.every((r) => selected.has(r.id));
  return (
    <div className="fig-runs card">
      <div className="fig-runs-head">
        <strong>Runs</strong>
        <span className="muted">{selected.size} selected of {rows.length}{visible.length !== rows.length ? ` (${visible.length} shown)` : ''}</span>
        <details className="fig-columns">
          <summary>Columns</summary>
          <div className="fig-columns-list" data-testid="column-chooser">
            {all.map((c) => (
              <label key={c}>
                <input type="checkbox" checked={columns.includes(c)} onChange={(e) => onColumns(e.target.checked ? [...columns, c] : columns.filter((x) => x !== c))} />
                {c}
              </label>
            ))}
          </div>
        </details>
      </div>
      <div className="fig-runs-scroll">
        <table className="fig-table" data-testid="figure-runs">
          <thead>
            <tr>
              <th><input type="checkbox" aria-label="Select all shown runs" checked={allOn} onChange={(e) => onSelect(visible.map((r) => r.id), e.target.checked)} /></th>
              {columns.map((c) => <th key={c}>{c}</th>)}
            </tr>
            <tr className="fig-filters">
              <th />
              {columns.map((c) => (
                <th key={c}><input aria-label={`Filter ${c}`} data-filter={c} placeholder="filter" value={filters[c] ?? ''} onChange={(e) => setFilters({ ...filters, [c]: e.target.value })} /></th>
              ))}
            </tr>
          </thead>
          <tbody>
            {visible.map((r) => (
              <tr key={r.id} data-run-id={r.id} className={selected.has(r.id) ? 'selected' : undefined}>
                <td><input type="checkbox" aria-label={`Select ${r.name}`} checked={selected.has(r.id)} onChange={(e) => onSelect([r.id], e.target.checked)} /></td>
                {columns.map((c) => <td key={c} className={c === 'status' ? `status-${r.status}` : undefined}>{cellValue(r, c)}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
