import { Fragment, useEffect, useState, type FormEvent } from 'react';
import type { AppInfo } from '../../../shared/api/info';
import { BACKEND_PREFERENCES, MAX_CONCURRENT_JOBS, MAX_WASM_THREADS, THEMES, type DashboardSettings, type Settings } from '../../../shared/api/settings';
import { PALETTE_NAMES, PALETTES } from '../../../shared/figures/spec';
import { getApi } from '../api/client';

const BACKEND_LABELS: Record<Settings['backend'], string> = {
  auto: 'Automatic (fastest that loads)',
  tensorflow: 'TensorFlow native (tfjs-node / -gpu)',
  webgpu: 'WebGPU (experimental, then automatic)',
  wasm: 'WebAssembly (SIMD)',
  cpu: 'Plain JavaScript (slowest)',
};

export function SettingsPage({ settings, info, onSaved }: { settings: Settings | undefined; info: AppInfo | undefined; onSaved(s: Settings): void }) {
  const [draft, setDraft] = useState<Settings | undefined>(settings);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string }>();
  useEffect(() => setDraft(settings), [settings]);

  if (!draft) return <section className="page"><h1>Settings</h1><p className="muted">Loading…</p></section>;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const saved = await getApi().setSettings(draft);
      onSaved(saved);
      setMessage({ kind: 'ok', text: 'Settings saved.' });
    } catch (error) {
      setMessage({ kind: 'error', text: (error as Error).message });
    }
  };

  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">Settings</h1>
      <form className="card form" onSubmit={submit} aria-label="Settings">
        <label>
          <span>Data directory</span>
          <input name="dataDir" value={draft.dataDir} spellCheck={false} onChange={(e) => setDraft({ ...draft, dataDir: e.target.value })} />
          <small>Where runs are stored: one folder per run with run.json, metrics.jsonl, episodes/ and checkpoints/.</small>
        </label>
        <label>
          <span>TensorFlow.js backend</span>
          <select name="backend" value={draft.backend} onChange={(e) => setDraft({ ...draft, backend: e.target.value as Settings['backend'] })}>
            {BACKEND_PREFERENCES.map((b) => <option key={b} value={b}>{BACKEND_LABELS[b]}</option>)}
          </select>
          <small>Used by training jobs. "Automatic" tries native TensorFlow (GPU, then CPU), then WebAssembly, then plain JavaScript. WebGPU is tried only when chosen here (not yet verified on a GPU); where it cannot start, the reason is listed below and the automatic order follows.</small>
        </label>
        <label>
          <span>WebAssembly threads per run</span>
          <input name="wasmThreads" type="number" min={1} max={MAX_WASM_THREADS} step={1} value={draft.wasmThreads} onChange={(e) => setDraft({ ...draft, wasmThreads: Number(e.target.value) })} />
          <small>Threads each training run uses on the WebAssembly backend (1–{MAX_WASM_THREADS}). Keep 1 when several runs train side by side (each takes a core); raise it for a single run on an otherwise idle machine. The saved value is checked on save.</small>
        </label>
        <label>
          <span>Concurrent jobs</span>
          <input name="concurrentJobs" type="number" min={1} max={MAX_CONCURRENT_JOBS} step={1} value={draft.concurrentJobs ?? ''}
            placeholder={info ? `${info.cores} (one per core)` : 'one per core'}
            onChange={(e) => setDraft({ ...draft, concurrentJobs: e.target.value.trim() === '' ? null : Number(e.target.value) })} />
          <small>
            Training runs that work at once; more wait in the queue on the Runs page. An experiment&apos;s branches start side by side once its initial run has
            completed. Empty: one per core{info ? ` (${info.cores} on this machine)` : ''}. Each run takes one core and, at the recipe's scale, 1.2–1.7 GB of memory (its worker reports it on the Runs page). A raised limit starts
            waiting runs at once; a lowered one lets running runs finish. <code>sftrl train --jobs N</code> overrides it on the command line.
          </small>
        </label>
        <fieldset>
          <legend>Theme</legend>
          {THEMES.map((t) => (
            <label key={t} className="radio">
              <input type="radio" name="theme" value={t} checked={draft.theme === t} onChange={() => setDraft({ ...draft, theme: t })} />
              {t[0]?.toUpperCase()}{t.slice(1)}
            </label>
          ))}
        </fieldset>
        <DashboardFields value={draft.dashboard} onChange={(dashboard) => setDraft({ ...draft, dashboard })} />
        <div className="actions">
          <button type="submit" className="primary">Save</button>
          {message ? <span role="status" className={message.kind === 'ok' ? 'ok-text' : 'error-text'} data-testid="settings-message">{message.text}</span> : null}
        </div>
      </form>

      <div className="card" data-testid="backend-info">
        <h2>Compute backend</h2>
        {info ? (
          <>
            <p><strong>{info.backend.name}</strong> — {info.backend.reason}</p>
            {info.backend.skipped.length > 0 ? (
              <ul className="skipped">
                {info.backend.skipped.map((s) => <li key={s.name}><code>{s.name}</code> skipped: {s.reason}</li>)}
              </ul>
            ) : null}
            <dl className="kv">
              <dt>Workbench</dt><dd>{info.appVersion} ({info.mode})</dd>
              {Object.entries(info.versions).map(([k, v]) => <Fragment key={k}><dt>{k}</dt><dd>{v}</dd></Fragment>)}
              <dt>Platform</dt><dd>{info.platform}</dd>
            </dl>
          </>
        ) : <p className="muted">Probing backends…</p>}
      </div>
    </section>
  );
}

/** Defaults of the Figures page (issue 6): smoothing, palette, export folder, run-table columns. */
function DashboardFields({ value, onChange }: { value: DashboardSettings; onChange(d: DashboardSettings): void }) {
  const s = value.smoothing;
  // Typed as text (commas and all) and split on change; the server validates each name on save.
  const [columns, setColumns] = useState(value.columns.join(', '));
  useEffect(() => setColumns(value.columns.join(', ')), [value.columns]);
  return (
    <fieldset className="dashboard-settings" data-testid="dashboard-settings">
      <legend>Figures dashboard</legend>
      <label>
        <span>Default smoothing</span>
        <span className="inline-fields">
          <select name="dashSmoothing" value={s.kind} onChange={(e) => onChange({ ...value, smoothing: { ...s, kind: e.target.value as typeof s.kind } })}>
            <option value="none">None</option>
            <option value="ema">EMA (time-weighted)</option>
            <option value="savgol">Savitzky–Golay (order 3)</option>
          </select>
          {s.kind === 'ema' ? <input name="dashEmaWeight" type="number" aria-label="EMA weight" min={0} max={0.99} step={0.05} value={s.weight} onChange={(e) => { const w = Number(e.target.value); if (w >= 0 && w < 1) onChange({ ...value, smoothing: { ...s, weight: w } }); }} /> : null}
          {s.kind === 'savgol' ? <input name="dashSgWindow" type="number" aria-label="Savitzky–Golay window" min={5} max={501} step={2} value={s.window} onChange={(e) => { const w = Number(e.target.value); if (w >= 5 && w % 2 === 1) onChange({ ...value, smoothing: { ...s, window: w } }); }} /> : null}
        </span>
        <small>Used by a new figure view; a saved view keeps its own smoothing.</small>
      </label>
      <label>
        <span>Palette</span>
        <span className="inline-fields">
          <select name="dashPalette" value={value.palette} onChange={(e) => onChange({ ...value, palette: e.target.value as DashboardSettings['palette'] })}>
            {PALETTE_NAMES.map((p) => <option key={p} value={p}>{p}</option>)}
          </select>
          <span className="swatches" aria-hidden="true">{PALETTES[value.palette].map((c) => <span key={c} style={{ background: c }} />)}</span>
        </span>
        <small>Colour-blind-safe qualitative palettes (Okabe–Ito, Paul Tol).</small>
      </label>
      <label>
        <span>Export folder</span>
        <input name="dashExportDir" value={value.exportDir ?? ''} placeholder="(Downloads/sftrl-workbench)" spellCheck={false} onChange={(e) => onChange({ ...value, exportDir: e.target.value.trim() === '' ? null : e.target.value })} />
        <small>Where the Figures page's "Save to export folder" writes (created when missing; a taken name gets a numeric suffix, nothing is overwritten); empty: a sftrl-workbench folder in your Downloads folder. The export buttons still download through the browser.</small>
      </label>
      <label>
        <span>Run-table columns</span>
        <input name="dashColumns" value={columns} spellCheck={false} onChange={(e) => { setColumns(e.target.value); onChange({ ...value, columns: e.target.value.split(',').map((c) => c.trim()).filter(Boolean) }); }} />
        <small>Comma-separated, in order: summary fields (name, method, seed, status, points) or config fields such as preset or rl.steps.</small>
      </label>
    </fieldset>
  );
}
