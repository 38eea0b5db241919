/** A playing card drawn as SVG from the simulator's display model: corner indices, pips, face frame. */
import type { CardDisplay } from '../../../../shared/tasks/generalpoints/cards';
import { SuitPip } from './SuitPip';

const W = 120;
const H = 168;

/** Pip positions (fractions of the inner area) for A..10, as on a standard deck. */
const PIP_LAYOUT: Record<number, [number, number][]> = {
  1: [[0.5, 0.5]],
  2: [[0.5, 0.1], [0.5, 0.9]],
  3: [[0.5, 0.1], [0.5, 0.5], [0.5, 0.9]],
  4: [[0.2, 0.1], [0.8, 0.1], [0.2, 0.9], [0.8, 0.9]],
  5: [[0.2, 0.1], [0.8, 0.1], [0.5, 0.5], [0.2, 0.9], [0.8, 0.9]],
  6: [[0.2, 0.1], [0.8, 0.1], [0.2, 0.5], [0.8, 0.5], [0.2, 0.9], [0.8, 0.9]],
  7: [[0.2, 0.1], [0.8, 0.1], [0.5, 0.3], [0.2, 0.5], [0.8, 0.5], [0.2, 0.9], [0.8, 0.9]],
  8: [[0.2, 0.1], [0.8, 0.1], [0.5, 0.3], [0.2, 0.5], [0.8, 0.5], [0.5, 0.7], [0.2, 0.9], [0.8, 0.9]],
  9: [[0.2, 0.1], [0.8, 0.1], [0.2, 0.37], [0.8, 0.37], [0.5, 0.5], [0.2, 0.63], [0.8, 0.63], [0.2, 0.9], [0.8, 0.9]],
  10: [[0.2, 0.1], [0.8, 0.1], [0.5, 0.24], [0.2, 0.37], [0.8, 0.37], [0.2, 0.63], [0.8, 0.63], [0.5, 0.76], [0.2, 0.9], [0.8, 0.9]],
};

const RANK_NUMBER: Record<string, number> = { A: 1, J: 11, Q: 12, K: 13 };

export function PlayingCard({ card, width = 120, valueLabel }: { card: CardDisplay; width?: number; valueLabel?: string }) {
  const rank = RANK_NUMBER[card.rankLabel] ?? Number(card.rankLabel);
  const ink = card.colorHex;
  const inner = { x: 26, y: 24, w: W - 52, h: H - 48 };
  const title = `${card.rankLabel === 'A' ? 'Ace' : card.rankLabel} of ${card.suitName}${valueLabel ? ` (counts ${valueLabel})` : ''}`;
  return (
    <svg className="playing-card" viewBox={`0 0 ${W} ${H}`} width={width} height={(width * H) / W} role="img" aria-label={title} data-card={card.code}>
      <title>{title}</title>
      <rect x="1" y="1" width={W - 2} height={H - 2} rx="9" fill="#fffdf8" stroke="#c9c3b8" strokeWidth="1.5" />
      {[false, true].map((flip) => (
        <g key={String(flip)} transform={flip ? `rotate(180 ${W / 2} ${H / 2})` : undefined}>
          <text x="12" y="22" textAnchor="middle" fontSize={card.rankLabel === '10' ? 15 : 18} fontWeight="700" fill={ink} fontFamily="'DejaVu Serif', Georgia, serif">
            {card.rankLabel}
          </text>
          <SuitPip suit={card.suitName} x={12} y={34} size={11} color={ink} />
        </g>
      ))}
      {card.isFace ? (
        <g>
          <rect x={inner.x} y={inner.y} width={inner.w} height={inner.h} rx="4" fill="none" stroke={ink} strokeOpacity="0.55" strokeWidth="1.5" />
          <rect x={inner.x + 4} y={inner.y + 4} width={inner.w - 8} height={inner.h - 8} rx="3" fill={ink} fillOpacity="0.06" />
          <text x={W / 2} y={H / 2 + 14} textAnchor="middle" fontSize="46" fontWeight="700" fill={ink} fontFamily="'DejaVu Serif', Georgia, serif">
            {card.rankLabel}
          </text>
          <SuitPip suit={card.suitName} x={W / 2} y={inner.y + 18} size={16} color={ink} />
          <SuitPip suit={card.suitName} x={W / 2} y={inner.y + inner.h - 18} size={16} color={ink} flip />
        </g>
      ) : (
        (PIP_LAYOUT[rank] ?? []).map(([fx, fy], i) => (
          <SuitPip key={i} suit={card.suitName} x={inner.x + fx * inner.w} y={inner.y + fy * inner.h} size={rank === 1 ? 44 : 18} color={ink} flip={fy > 0.55} />
        ))
      )}
    </svg>
  );
}
