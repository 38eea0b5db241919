import { useEffect, useMemo, useState } from 'react';
import type { z } from 'zod';
import type { presetSchema } from '../../../shared/api/channels/experiments';
import { experimentConfigSchema } from '../../../shared/experiments/config';
import { planNotes } from '../../../shared/experiments/plan';
import { parseSeeds } from '../../../shared/experiments/seeds';
import { getApi } from '../api/client';
import { useAsync } from '../hooks';
import { SchemaForm } from './experiment/SchemaForm';
import './experiment/experiment.css';

type Preset = z.infer<typeof presetSchema>;

/** Fields fixed by the preset: changing them would describe another experiment. */
const FIXED = ['preset', 'task', 'variant', 'modality'];

export function NewExperimentPage({ onLaunched }: { onLaunched(): void }) {
  const presets = useAsync<Preset[]>(() => getApi().listPresets({}), []);
  const [presetId, setPresetId] = useState('gp-rule');
  const [config, setConfig] = useState<unknown>();
  const [quick, setQuick] = useState(true);
  /** Empty: the config's seed alone; else a seed list (0-4, 0,2,5), one experiment per seed. */
  const [seedsText, setSeedsText] = useState('');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const preset = presets.data?.find((p) => p.id === presetId);

  useEffect(() => {
    if (preset) setConfig(preset.config);
  }, [preset]);

  const errors = useMemo(() => {
    const map = new Map<string, string>();
    if (!config) return map;
    const parsed = experimentConfigSchema.safeParse(config);
    if (!parsed.success) for (const issue of parsed.error.issues) map.set(issue.path.join('.'), issue.message);
    return map;
  }, [config]);

  // What the user should know about the plan (e.g. rl-no-sft without an initial SFT to skip).
  const notes = useMemo(() => {
    const parsed = experimentConfigSchema.safeParse(config);
    return parsed.success ? planNotes(parsed.data) : [];
  }, [config]);

  const launch = async () => {
    try {
      const parsed = experimentConfigSchema.parse(config);
      const seeds = seedsText.trim() === '' ? undefined : parseSeeds(seedsText);
      const res = await getApi().launchExperiment({ config: parsed, quick, ...(seeds ? { seeds } : {}) });
      setMessage({ kind: 'ok', text: `Queued ${res.jobs.length} run${res.jobs.length === 1 ? '' : 's'} of ${res.experimentIds.join(', ')}.` });
      onLaunched();
    } catch (error) {
      setMessage({ kind: 'error', text: (error as Error).message });
    }
  };

  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">New experiment</h1>
      <p className="lead">
        One experiment trains a base model, an initial checkpoint, then an SFT branch and an RL branch from that same checkpoint, and evaluates them in
        distribution (ID) and out of distribution (OOD) at matched compute. Its runs are queued as background jobs (the branches start side by side once the
        initial checkpoint exists) and appear on the Runs page with their progress.
      </p>
      {presets.error ? <div className="banner error" role="alert">{presets.error}</div> : null}
      <div className="preset-grid" role="radiogroup" aria-label="Presets">
        {presets.data?.map((p) => (
          <button key={p.id} type="button" role="radio" aria-checked={p.id === presetId} className={`preset ${p.id === presetId ? 'selected' : ''}`}
            onClick={() => setPresetId(p.id)} data-preset={p.id}>
            <strong>{p.title}</strong>
            <span>{p.summary}</span>
            {!p.available ? <em>Not runnable yet: {p.unavailableReason}</em> : null}
          </button>
        ))}
      </div>
      {preset && config ? (
        <div className="card">
          <div className="launch-bar">
            <label className="check">
              <input type="checkbox" name="quick" checked={quick} onChange={(e) => setQuick(e.target.checked)} />
              Quick scale (a smoke run of the same graph in about a minute; its numbers mean nothing)
            </label>
            <label className="seeds">
              Seeds
              <input name="seeds" value={seedsText} placeholder={`${(config as { seed?: number }).seed ?? 0} (from the form)`} spellCheck={false}
                onChange={(e) => setSeedsText(e.target.value)} aria-describedby="seeds-help" />
              <small id="seeds-help">e.g. 0-4 or 0,2,5: one experiment per seed, all queued</small>
            </label>
            <button type="button" className="primary" onClick={launch} disabled={!preset.available || errors.size > 0} data-testid="launch">
              Launch
            </button>
          </div>
          {message ? <div className={`banner ${message.kind === 'ok' ? 'ok' : 'error'}`} role="status" data-testid="launch-message">{message.text}</div> : null}
          {notes.map((n) => <div key={n} className="banner warn" role="note" data-testid="plan-note">{n}</div>)}
          {errors.size > 0 ? <div className="banner error" role="alert">Fix {errors.size} field{errors.size > 1 ? 's' : ''} before launching.</div> : null}
          <SchemaForm schema={experimentConfigSchema} value={config} errors={errors} onChange={setConfig} readOnly={FIXED} />
        </div>
      ) : null}
    </section>
  );
}
