/** One attempt of an episode: verdict, reward, the formula as read and the feedback the model gets. */
import { useState } from 'react';
import { formatReward } from './model';
import { VerdictBadge } from './verdicts';

export interface AttemptView {
  n: number;
  verdict: string;
  reward: number;
  feedback: string;
  output: string;
  formula: string | null;
  value: string | null;
}

export function AttemptRow({ a, compact = false }: { a: AttemptView; compact?: boolean }) {
  const [showOutput, setShowOutput] = useState(false);
  // The revision prompt prefixes failed, verified attempts with this sentence; over-limit steps get none.
  const prefixed = a.verdict !== 'correct' && a.verdict !== 'over_limit';
  return (
    <li className={`gp-attempt${compact ? ' compact' : ''}`} data-testid="attempt" data-verdict={a.verdict}>
      <span className="gp-attempt-n" aria-label={`attempt ${a.n}`}>{a.n}</span>
      <div className="gp-attempt-body">
        <div className="gp-attempt-head">
          <VerdictBadge verdict={a.verdict} />
          <span className={`gp-reward ${a.reward > 0 ? 'pos' : a.reward < 0 ? 'neg' : ''}`} data-testid="reward">
            {formatReward(a.reward)}
          </span>
          {a.formula ? (
            <code className="gp-formula">
              {a.formula}
              {a.value !== null ? <span className="muted"> = {a.value}</span> : null}
            </code>
          ) : null}
          <button type="button" className="link gp-output-toggle" aria-expanded={showOutput} onClick={() => setShowOutput(!showOutput)}>
            {showOutput ? 'hide answer' : 'answer as written'}
          </button>
        </div>
        <p className="gp-feedback" data-testid="feedback">
          {prefixed ? <span className="muted">You failed this trial because </span> : null}
          {a.feedback}
        </p>
        {showOutput ? <pre className="gp-pre small">{a.output === '' ? '(empty)' : a.output}</pre> : null}
      </div>
    </li>
  );
}
