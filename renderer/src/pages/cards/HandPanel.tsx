/** The dealt hand: four real playing cards, each card's value under the active rule, the rule in words. */
import type { GpDealView } from '../../../../shared/api/channels/generalpoints';
import { PlayingCard } from '../../components/cards/PlayingCard';
import { oodReasons, ruleSentence, ruleTitle } from './model';

export function HandPanel({ deal }: { deal: GpDealView }) {
  const v = deal.variant;
  return (
    <div className="card gp-hand" data-testid="hand">
      <div className="gp-hand-head">
        <h2>
          Hand of seed <code>{deal.seed}</code>
        </h2>
        <div className="gp-tags">
          <span className={`gp-tag gp-split-${deal.split}`} title="The paper's evaluation split for this variant">
            {deal.split === 'id' ? 'in distribution' : `out of distribution: ${oodReasons(v).join(', ')}`}
          </span>
          <span className="gp-tag">{v.vision ? 'GP-VL (vision)' : 'GP-L (text)'}</span>
          <span className="gp-tag">{v.colors} suits</span>
        </div>
      </div>
      <div className="gp-table" role="list" aria-label="Cards">
        {deal.display.map((card, i) => {
          const value = deal.values[i] ?? 0;
          // Flag the cards whose value is a matter of the rule: faces, and any card a custom map changes.
          const changed = card.isFace || value !== (card.rankLabel === 'A' ? 1 : Number(card.rankLabel));
          return (
            <figure key={i} className="gp-card-slot" role="listitem">
              <PlayingCard card={card} width={118} valueLabel={String(value)} />
              <figcaption className={changed ? 'gp-value changed' : 'gp-value'} data-testid="card-value">
                counts <strong>{value}</strong>
              </figcaption>
            </figure>
          );
        })}
      </div>
      <div className="gp-rule" data-testid="rule">
        <div className="gp-rule-title">{ruleTitle(v.rule, v.customValues)}</div>
        <p>
          {ruleSentence(v.values)} Make <strong>{v.target}</strong> with + − × ÷ and brackets, using each card exactly once.
        </p>
      </div>
    </div>
  );
}
