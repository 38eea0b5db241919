/**
 * The top-down map of one episode, drawn in metres (north up): streets, labelled landmarks, the
 * planned route with its milestones, the expert's path over the rail, the agent's trajectory up
 * to the current step with its mistakes, and the agent's position and heading.
 * Colours come from classes in map.css (theme variables); the SVG export inlines them.
 */
import { useMemo } from 'react';
import { PanZoomSvg, type ViewBox } from '../../components/PanZoomSvg';
import { svgPoint, svgPoints, type Bounds } from '../../../../shared/tasks/virl/index';
import { placeLabels } from './labels';
import type { Replayable, StepView } from './model';

/** Sizes in metres: a street is ~10 m wide, labels stay readable at the route's zoom. */
const S = { street: 9, casing: 12, route: 7, expert: 1.6, trail: 2.6, dot: 1.8, landmark: 2.5, landmarkOn: 3.5, label: 4.5, labelOn: 6, agent: 9, milestone: 6 };

/** The first view: the route, with room at the sides for labels that run east or west of their landmarks. */
function viewBoxOf(b: Bounds): ViewBox {
  const w = b.maxX - b.minX;
  const pad = Math.max(30, w * 0.1);
  return { x: b.minX - pad, y: -b.maxY, w: w + 2 * pad, h: b.maxY - b.minY };
}

/** An arrow pointing north, rotated to the compass heading (clockwise, as SVG rotates with y down). */
function AgentArrow({ step, className }: { step: StepView; className: string }) {
  const p = svgPoint(step.position);
  const a = S.agent;
  return (
    <g className={className} transform={`translate(${p.x} ${p.y}) rotate(${step.heading})`} data-testid="agent">
      <circle r={a * 0.95} className="agent-halo" />
      <path d={`M 0 ${-a} L ${a * 0.62} ${a * 0.7} L 0 ${a * 0.32} L ${-a * 0.62} ${a * 0.7} Z`} className="agent-arrow" />
    </g>
  );
}

export function MapSvg({ r, index, label, svgRef }: { r: Replayable; index: number; label: string; svgRef?: (el: SVGSVGElement | null) => void }) {
  const { map } = r;
  const initial = useMemo(() => viewBoxOf(map.routeBounds), [map]);
  const labels = useMemo(() => placeLabels(map.landmarks, (on) => (on ? S.landmarkOn : S.landmark), (on) => (on ? S.labelOn : S.label)), [map]);
  const last = Math.min(index, r.steps.length - 1);
  const current = r.steps[last];
  // The agent's trajectory: the rail points it stood on, in order, with retries collapsed.
  const trail = useMemo(() => {
    const pts: Array<{ x: number; y: number }> = [];
    for (const s of r.steps.slice(0, last + 1)) {
      const prev = pts[pts.length - 1];
      if (!prev || prev.x !== s.position.x || prev.y !== s.position.y) pts.push(s.position);
    }
    return pts;
  }, [r, last]);
  const mistakes = r.steps.slice(0, last + 1).filter((s) => !s.correct);
  const start = svgPoint(map.start.streetPosition);

  return (
    <PanZoomSvg initial={initial} label={label} className="virl-map" svgRef={svgRef}>
      <title>{label}</title>
      <rect className="map-bg" x={map.bounds.minX - 2000} y={-map.bounds.maxY - 2000} width={map.bounds.maxX - map.bounds.minX + 4000} height={map.bounds.maxY - map.bounds.minY + 4000} />
      <g className="streets">
        {map.streets.map((s, i) => <polyline key={`c${i}`} points={svgPoints(s.points)} className="street-casing" strokeWidth={S.casing} />)}
        {map.streets.map((s, i) => (
          <polyline key={`s${i}`} points={svgPoints(s.points)} className="street" strokeWidth={S.street}><title>{s.name}</title></polyline>
        ))}
      </g>
      <polyline points={svgPoints(map.routePath)} className="route-band" strokeWidth={S.route} data-testid="route-path" />
      <polyline points={svgPoints(map.rail.map((p) => p.position))} className="expert-path" strokeWidth={S.expert} strokeDasharray={`${S.expert * 3} ${S.expert * 2}`} />
      <g className="rail-points">
        {map.rail.map((p) => {
          const q = svgPoint(p.position);
          return <circle key={p.index} cx={q.x} cy={q.y} r={S.dot} className={`rail-point rail-${p.kind}`}><title>{`rail point ${p.index + 1} (${p.kind}): ${r.variant.actionSpace === 'absolute' ? p.expertAbsolute : p.expertRelative}`}</title></circle>;
        })}
      </g>
      <g className="landmarks">
        {map.landmarks.map((l) => {
          const q = svgPoint(l.position);
          const h = l.onRoute ? S.landmarkOn : S.landmark;
          return (
            <rect key={`${l.id}-${l.name}`} x={q.x - h} y={q.y - h} width={2 * h} height={2 * h} rx={1} className={l.onRoute ? 'landmark-mark on-route' : 'landmark-mark'}>
              <title>{`${l.name} (${l.kind})`}</title>
            </rect>
          );
        })}
      </g>
      {trail.length > 1 ? <polyline points={svgPoints(trail)} className="agent-trail" strokeWidth={S.trail} data-testid="agent-trail" /> : null}
      <g className="milestones">
        <g transform={`translate(${start.x} ${start.y})`} className="milestone start">
          <circle r={S.milestone} /><text fontSize={S.milestone * 1.2} textAnchor="middle" dominantBaseline="central">S</text>
          <title>{`start: ${map.start.name}`}</title>
        </g>
        {map.milestones.map((m) => {
          const q = svgPoint(m.position);
          return (
            <g key={m.index} transform={`translate(${q.x} ${q.y})`} className={m.isDestination ? 'milestone destination' : 'milestone'}>
              <circle r={S.milestone} />
              <text fontSize={S.milestone * 1.2} textAnchor="middle" dominantBaseline="central">{m.isDestination ? 'D' : m.index + 1}</text>
              <title>{`${m.isDestination ? 'destination' : `milestone ${m.index + 1}`}: face ${m.compass}; ${m.landmarkText}`}</title>
            </g>
          );
        })}
      </g>
      <g className="mistakes">
        {mistakes.map((s) => {
          const q = svgPoint(s.position);
          const d = 3.2;
          // Offset repeated mistakes at one point so each stays visible.
          const o = (s.attempt - 1) * 3;
          return <path key={s.index} d={`M ${q.x - d + o} ${q.y - d - o} l ${2 * d} ${2 * d} m 0 ${-2 * d} l ${-2 * d} ${2 * d}`} className="mistake"><title>{`step ${s.index + 1}: ${s.verdict}`}</title></path>;
        })}
      </g>
      {/* Labels above the route and markers (their halo keeps them readable), below the agent. */}
      <g className="landmark-labels">
        {labels.map((l) => (
          <text key={l.key} x={l.x} y={l.y} fontSize={l.size} textAnchor={l.anchor} className={l.onRoute ? 'landmark-label on-route' : 'landmark-label'} dominantBaseline="middle">{l.name}</text>
        ))}
      </g>
      {current ? <AgentArrow step={current} className={current.correct ? 'agent' : 'agent wrong'} /> : null}
    </PanZoomSvg>
  );
}
