/** One episode at the shared replay step: its header, its map (exportable as SVG) and what happened at the step. */
import { useRef } from 'react';
import { MapSvg } from './MapSvg';
import { download, safeFileName, standaloneSvg } from './exportSvg';
import { stepAt, type Replayable } from './model';
import { StepPanel } from './StepPanel';

function Legend() {
  return (
    <ul className="map-legend" aria-label="Map legend">
      <li><span className="swatch route" />route</li>
      <li><span className="swatch expert" />expert path</li>
      <li><span className="swatch trail" />agent</li>
      <li><span className="swatch mistake">✗</span>mistake</li>
      <li><span className="swatch milestone" />milestone</li>
    </ul>
  );
}

export function EpisodePane({ r, index, side, compact }: { r: Replayable; index: number; side?: 'A' | 'B'; compact?: boolean }) {
  const svg = useRef<SVGSVGElement | null>(null);
  const step = stepAt(r, index);
  const ep = r.episode;
  const title = `${side ? `${side}: ` : ''}${r.origin} — ${ep.actor.name}`;
  const ended = index >= r.steps.length;

  const exportMap = () => {
    if (!svg.current) return;
    const stepText = step ? `step ${step.index + 1} of ${r.steps.length}` : 'no steps';
    const desc = `V-IRL map: streets, landmarks, the route (${r.route.start.name} → ${r.route.destination.name}), milestones, expert path and the agent's trajectory up to ${stepText}. `
      + `Actor ${ep.actor.name}; ${r.variant.actionSpace} actions, ${r.variant.observation} observations; ${ep.success ? 'route completed' : 'route failed'}.`;
    download(`virl-map-${safeFileName(`${r.origin}-${ep.actor.name}`)}.svg`, standaloneSvg(svg.current, `V-IRL map — ${title}`, desc));
  };

  return (
    <article className={`episode-pane${compact ? ' compact' : ''}`} data-testid={side ? `pane-${side}` : 'pane'} aria-label={title}>
      <header className="pane-head">
        <div className="pane-title">
          {side ? <span className={`side side-${side}`}>{side}</span> : null}
          <div>
            <strong data-testid="pane-origin">{r.origin}</strong>
            <div className="chips">
              <span className={`chip actor-${ep.actor.kind}`}>{ep.actor.name}</span>
              <span className="chip">{r.variant.actionSpace} · {r.variant.observation}</span>
              <span className="chip">{ep.split === 'id' ? 'in distribution' : 'OOD'}</span>
              <span className="chip">{r.steps.length} steps · {r.errors.length} mistakes</span>
              <span className={ep.success ? 'chip ok' : 'chip bad'}>{ep.success ? 'success' : 'failed'}</span>
            </div>
          </div>
        </div>
        <button type="button" onClick={exportMap} data-testid={side ? `export-${side}` : 'export'}>Export SVG</button>
      </header>
      <div className="pane-body">
        <div className="map-column">
          <MapSvg r={r} index={index} label={`Map: ${title}`} svgRef={(el) => (svg.current = el)} />
          <Legend />
        </div>
        {step ? (
          <>
            {ended ? <p className="muted ended">This episode ended at step {r.steps.length}.</p> : null}
            <StepPanel r={r} step={step} compact={compact} />
          </>
        ) : <p className="muted">This episode has no steps.</p>}
      </div>
    </article>
  );
}
