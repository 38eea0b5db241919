import { Fragment, useEffect, useState, type FormEvent } from 'react';
import type { AppInfo } from '../../../shared/api/info';
import { BACKEND_PREFERENCES, THEMES, type Settings } from '../../../shared/api/settings';
import { getApi } from '../api/client';

const BACKEND_LABELS: Record<Settings['backend'], string> = {
  auto: 'Automatic (fastest that loads)',
  tensorflow: 'TensorFlow native (tfjs-node / -gpu)',
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
          <small>Used by training jobs. "Automatic" tries native TensorFlow (GPU, then CPU), then WebAssembly, then plain JavaScript.</small>
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
