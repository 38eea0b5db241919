/** Every solution of the hand (canonical first), and the expert's answer in the paper's format. */
import { useState } from 'react';
import type { GpDealView } from '../../../../shared/api/channels/generalpoints';
import { CopyButton } from './CopyButton';

const SHOWN = 24;

export function SolutionsPanel({ deal }: { deal: GpDealView }) {
  const [all, setAll] = useState(false);
  const list = all ? deal.solutions : deal.solutions.slice(0, SHOWN);
  const hidden = deal.solutionCount - list.length;
  return (
    <div className="card gp-solutions" data-testid="solutions">
      <div className="gp-panel-head">
        <h2>
          Solutions <span className="gp-count" data-testid="solution-count">{deal.solutionCount}</span>
        </h2>
        {deal.expertAnswer ? <CopyButton text={deal.expertAnswer} label="Copy expert answer" /> : null}
      </div>
      <p className="muted gp-small">Distinct up to commutativity and associativity; the first is the expert's (fewest brackets, then shortest).</p>
      <ol className="gp-solution-list">
        {list.map((s, i) => (
          <li key={s} className={i === 0 ? 'canonical' : undefined}>
            <code>{s}</code>
          </li>
        ))}
      </ol>
      {hidden > 0 && !all && deal.solutions.length > SHOWN ? (
        <button type="button" className="link gp-more" onClick={() => setAll(true)}>
          Show {deal.solutions.length - SHOWN} more
        </button>
      ) : null}
      {deal.solutionCount > deal.solutions.length ? <p className="muted gp-small">The first {deal.solutions.length} of {deal.solutionCount} are listed.</p> : null}
    </div>
  );
}
