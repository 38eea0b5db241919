/**
 * The playground: type answers and see what a model would get back, turn after turn. The server
 * is stateless (gp:play replays every answer from the seed), so the attempts live here and a
 * change of the limit or the verifier simply replays them.
 */
import { useState, type FormEvent } from 'react';
import type { GpDealSpec, GpDealView, GpPlayResult } from '../../../../shared/api/channels/generalpoints';
import { getApi } from '../../api/client';
import { useAsync } from '../../hooks';
import { AttemptRow } from './AttemptRow';
import { formatReward } from './model';
import { PromptTabs } from './PromptTabs';

export interface PlaySettings {
  verificationLimit: number;
  referenceQuirks: boolean;
}

function chatText(result: GpPlayResult): string {
  return result.paperMessages.map((m) => `${m.role}${m.image ? ' [image]' : ''}:\n${m.content.replace(/^\n+/, '')}`).join('\n\n');
}

function statusLine(r: GpPlayResult, referenceQuirks: boolean): string {
  const used = r.attempts.length;
  if (r.solved) return `Solved in ${used} ${used === 1 ? 'attempt' : 'attempts'} · total reward ${formatReward(r.totalReward)}`;
  if (r.done) return `Episode over: the verification limit was reached · total reward ${formatReward(r.totalReward)}`;
  if (used === 0) {
    return referenceQuirks
      ? `${r.verificationLimit} verified attempts; as in the reference code, one more is accepted but earns −1 and ends the episode.`
      : `${r.verificationLimit} verified attempts; the last failed one ends the episode.`;
  }
  return `${used} ${used === 1 ? 'attempt' : 'attempts'} · ${r.attemptsLeft} verified left · total reward ${formatReward(r.totalReward)}`;
}

export function Playground({ spec, deal, settings, onSettings }: { spec: GpDealSpec; deal: GpDealView; settings: PlaySettings; onSettings(s: PlaySettings): void }) {
  const [answers, setAnswers] = useState<string[]>([]);
  const [draft, setDraft] = useState('');
  const play = useAsync<GpPlayResult>(
    () => getApi().gpPlay({ deal: spec, verificationLimit: settings.verificationLimit, referenceQuirks: settings.referenceQuirks, answers }),
    [JSON.stringify(spec), settings.verificationLimit, settings.referenceQuirks, answers],
  );
  const r = play.data;
  const done = r?.done ?? false;

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (done || draft.trim() === '') return;
    setAnswers([...answers, draft]);
    setDraft('');
  };

  return (
    <div className="card gp-playground" data-testid="playground">
      <div className="gp-panel-head">
        <h2>Playground</h2>
        <div className="gp-play-settings">
          <label title="Verified attempts per episode (the paper's verify_iter)">
            Limit
            <select name="verificationLimit" value={settings.verificationLimit} onChange={(e) => onSettings({ ...settings, verificationLimit: Number(e.target.value) })}>
              {Array.from({ length: 10 }, (_, i) => i + 1).map((n) => <option key={n} value={n}>{n}</option>)}
            </select>
          </label>
          <label className="gp-switch" title="The reference code's verifier: summed penalties, +1 partial solutions, float evaluation">
            <input type="checkbox" name="referenceQuirks" checked={settings.referenceQuirks} onChange={(e) => onSettings({ ...settings, referenceQuirks: e.target.checked })} />
            <span>Reference quirks</span>
          </label>
        </div>
      </div>
      <p className="muted gp-small">
        Answer as a model would: the paper's JSON (<code>{'{"cards": […], "formula": "…"}'}</code>) or just a formula such as <code>(10-4)*(3+1)</code>.
        {deal.variant.vision ? ' In the vision variant the answer must also name the cards.' : ''}
      </p>
      <form className="gp-answer" onSubmit={submit} aria-label="Answer">
        <textarea
          name="answer"
          rows={4}
          spellCheck={false}
          value={draft}
          disabled={done}
          placeholder={done ? 'The episode is over. Reset to play again.' : 'Type an answer… (Ctrl+Enter submits)'}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && (e.ctrlKey || e.metaKey) && submit()}
        />
        <div className="actions">
          <button type="submit" className="primary" disabled={done || draft.trim() === ''}>Submit answer</button>
          <button type="button" disabled={done || !deal.expertAnswer} onClick={() => setDraft((deal.expertAnswer ?? '').replace(/^\n/, ''))}>Fill expert answer</button>
          <button type="button" disabled={answers.length === 0 && draft === ''} onClick={() => { setAnswers([]); setDraft(''); }}>Reset</button>
          <span className={`gp-status${r?.solved ? ' ok-text' : ''}`} data-testid="play-status">{r ? statusLine(r, settings.referenceQuirks) : ''}</span>
        </div>
      </form>
      {play.error ? <div className="banner error" role="alert">{play.error}</div> : null}
      {r && r.attempts.length > 0 ? (
        <ol className="gp-timeline" aria-label="Attempts">
          {r.attempts.map((a) => (
            <AttemptRow key={a.attempt} a={{ n: a.attempt, verdict: a.verdict, reward: a.reward, feedback: a.feedback, output: a.output, formula: a.formula, value: a.value }} />
          ))}
        </ol>
      ) : null}
      {r && r.attempts.length > 0 && !r.done ? (
        <details className="gp-next" open>
          <summary>What the model reads next</summary>
          <PromptTabs label="Next prompt" tabs={[{ id: 'next-compact', label: 'Compact prompt', text: r.compactPrompt }, { id: 'next-paper', label: 'Paper chat', text: chatText(r) }]} />
        </details>
      ) : null}
    </div>
  );
}
