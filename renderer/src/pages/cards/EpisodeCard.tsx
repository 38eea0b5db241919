/** One episode: who played which hand under which variant, and every attempt with its verdict. */
import { PlayingCard } from '../../components/cards/PlayingCard';
import { AttemptRow } from './AttemptRow';
import { CardImage } from './CardImage';
import type { GpEpisodeView } from './episodes';
import { formatReward } from './model';
import { VerdictBadge } from './verdicts';

export function EpisodeCard({ e }: { e: GpEpisodeView }) {
  const n = e.steps.length;
  return (
    <article className={`gp-episode ${e.success ? 'solved' : 'failed'}`} data-testid="episode" data-success={e.success}>
      <header className="gp-episode-head">
        <div className="gp-episode-cards" aria-label="Cards">
          {e.cards.map((c, i) => (
            <span key={i} className="gp-mini-card">
              <PlayingCard card={c} width={38} valueLabel={String(e.values[i] ?? '?')} />
              <span className="gp-mini-value">{e.values[i] ?? '?'}</span>
            </span>
          ))}
        </div>
        <div className="gp-episode-meta">
          <div className="gp-episode-title">
            <span className={`gp-outcome ${e.success ? 'ok' : 'bad'}`}>{e.success ? `Solved in ${n}` : 'Failed'}</span>
            {!e.success ? <span title="Verdict of the last verified attempt"><VerdictBadge verdict={e.lastVerdict} /></span> : null}
            <span className="gp-episode-seed">seed <code>{e.seed}</code></span>
          </div>
          <div className="gp-episode-sub muted">
            {e.actor} · {e.variant} · <span className={`gp-split-${e.split}`}>{e.split.toUpperCase()}</span>
            {e.target !== null && e.target !== 24 ? ` · target ${e.target}` : ''}
          </div>
        </div>
        <div className="gp-episode-reward" title="Total reward of the episode">
          <span className={e.totalReward > 0 ? 'pos' : e.totalReward < 0 ? 'neg' : ''}>{formatReward(e.totalReward)}</span>
          <small className="muted">{n} {n === 1 ? 'step' : 'steps'}</small>
        </div>
      </header>
      {e.image ? (
        <div className="gp-episode-vision" data-testid="episode-vision">
          <CardImage image={{ width: e.image.width, height: e.image.height, rgb: e.image.data }} scale={3} caption={`What the model saw (${e.image.width}×${e.image.height} px, shown ×3)`} />
          <ol className="gp-reads" aria-label="Cards the model read">
            {e.reads.map((r) => (
              <li key={r.n} data-testid="cards-read" data-right={r.right}>
                <span className="muted">attempt {r.n} read</span>{' '}
                <code>{r.cards ? r.cards.join(' ') : 'no cards field'}</code>{' '}
                <span className={r.right ? 'pos' : 'neg'}>{r.right ? '✓ the cards shown' : '✗ not the cards shown'}</span>
              </li>
            ))}
          </ol>
        </div>
      ) : null}
      <ol className="gp-timeline compact">
        {e.steps.map((s, i) => (
          <AttemptRow key={i} a={s} compact />
        ))}
      </ol>
    </article>
  );
}
