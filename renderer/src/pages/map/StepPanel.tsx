/**
 * What happened at one step: the instruction with the sentence being executed highlighted, the
 * observation (text, and the four views for the vision variant), the expert action, and for a
 * model or random policy its raw output, parsed action, reward, verdict and feedback.
 */
import { currentObservation } from '../../../../shared/tasks/virl/observation';
import type { Replayable, StepView } from './model';
import { ViewsCanvas } from './ViewsCanvas';

/** The reason of a failure without the answer-format reminder the verifier appends for the model. */
function firstSentence(text: string): string {
  const i = text.indexOf('. ');
  return i < 0 ? text.split('\n')[0] ?? '' : text.slice(0, i + 1);
}

function Verdict({ step }: { step: StepView }) {
  return (
    <span className={step.correct ? 'verdict ok' : 'verdict bad'} data-testid="verdict">
      {step.correct ? '✓ correct' : `✗ ${step.verdict.replace(/_/g, ' ')}`}
    </span>
  );
}

export function StepPanel({ r, step, compact }: { r: Replayable; step: StepView; compact?: boolean }) {
  const vision = r.variant.observation === 'vision';
  const byExpert = r.episode.actor.kind === 'expert';
  const p = step.point;
  const atEnd = step.index === r.steps.length - 1;
  return (
    <div className={compact ? 'step-panel compact' : 'step-panel'} data-testid="step-panel">
      <div className="step-head">
        <Verdict step={step} />
        <span className="reward" title="reward of this step">reward {step.reward > 0 ? '+' : ''}{step.reward}</span>
        <span className="muted">
          rail point {p.index + 1}/{r.rail.points.length} · {p.kind}{step.attempt > 1 ? ` · attempt ${step.attempt}` : ''}
        </span>
        {atEnd ? <span className={r.episode.success ? 'end ok' : 'end bad'}>{r.episode.success ? 'route completed' : 'route failed here'}</span> : null}
      </div>

      <section aria-label="Instruction">
        <h3>Instruction</h3>
        <ol className="instructions" data-testid="instructions">
          {r.rail.sentences.map((s, i) => (
            <li key={i} className={i === step.instructionIndex ? 'current' : i < step.instructionIndex ? 'done' : undefined} aria-current={i === step.instructionIndex ? 'step' : undefined}>
              {s}
            </li>
          ))}
        </ol>
      </section>

      <section aria-label="Observation">
        <h3>Observation</h3>
        <p className="observation" data-testid="observation"><code>{currentObservation(p, vision)}</code></p>
        {vision ? <ViewsCanvas r={r} step={step} /> : null}
      </section>

      <dl className="actions-kv">
        <dt>Expert action</dt>
        <dd><code data-testid="expert-action">{step.expertAction}</code></dd>
        {byExpert ? null : (
          <>
            <dt>Parsed action</dt>
            <dd>
              {step.parsedAction === null ? <span className="error-text">could not be parsed</span> : (
                <code data-testid="parsed-action" className={step.parsedAction === step.expertAction ? 'ok-text' : 'error-text'}>{step.parsedAction}</code>
              )}
            </dd>
            <dt>Feedback</dt>
            <dd className="feedback" data-testid="feedback" title={step.feedback}>{firstSentence(step.feedback) || '—'}</dd>
          </>
        )}
      </dl>

      {byExpert ? null : (
        <section aria-label="Raw output">
          <h3>Raw output <span className="muted">({r.episode.actor.name})</span></h3>
          <pre className="raw-output" data-testid="raw-output">{step.output}</pre>
        </section>
      )}

      <details className="prompt">
        <summary>Prompt shown at this step</summary>
        <pre>{step.prompt}</pre>
        {byExpert ? <pre className="raw-output">{step.output}</pre> : null}
      </details>
    </div>
  );
}
