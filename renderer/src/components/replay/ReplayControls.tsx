import type { Replay } from './useReplay';

const SPEEDS = [0.5, 1, 2, 4, 8];

/** Transport icons drawn as SVG: ⏮/⏭ have no glyph in the fonts Linux usually ships. */
const ICONS: Record<string, string> = {
  first: 'M3 2v12M13 2L5 8l8 6z',
  prev: 'M12 2L4 8l8 6z',
  play: 'M4 2l10 6-10 6z',
  pause: 'M4 2h3v12H4zM9 2h3v12H9z',
  next: 'M4 2l8 6-8 6z',
  last: 'M13 2v12M3 2l8 6-8 6z',
};

function Icon({ name }: { name: keyof typeof ICONS }) {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" fill="currentColor" stroke="currentColor" strokeWidth="1.2" strokeLinejoin="round">
      <path d={ICONS[name]} />
    </svg>
  );
}

/** First / previous / play-pause / next / last, a scrubber, speed and "next error". */
export function ReplayControls({ replay, errorCount }: { replay: Replay; errorCount: number }) {
  const last = Math.max(0, replay.count - 1);
  return (
    <div className="replay-controls" role="group" aria-label="Replay controls">
      <button type="button" onClick={() => replay.go(0)} title="First step (Home)" aria-label="First step"><Icon name="first" /></button>
      <button type="button" onClick={() => replay.step(-1)} title="Previous step (←)" aria-label="Previous step"><Icon name="prev" /></button>
      <button type="button" className="primary" onClick={replay.toggle} title="Play / pause (Space)" aria-label={replay.playing ? 'Pause' : 'Play'}>
        <Icon name={replay.playing ? 'pause' : 'play'} />
      </button>
      <button type="button" onClick={() => replay.step(1)} title="Next step (→)" aria-label="Next step"><Icon name="next" /></button>
      <button type="button" onClick={() => replay.go(last)} title="Last step (End)" aria-label="Last step"><Icon name="last" /></button>
      <input type="range" min={0} max={last} value={replay.index} onChange={(e) => replay.go(Number(e.target.value))} aria-label="Scrub steps" className="scrubber" />
      <span className="step-count" data-testid="step-count">
        step {replay.count === 0 ? 0 : replay.index + 1} / {replay.count}
      </span>
      <label className="speed">
        speed
        <select value={replay.speed} onChange={(e) => replay.setSpeed(Number(e.target.value))} aria-label="Playback speed">
          {SPEEDS.map((s) => <option key={s} value={s}>{s}×</option>)}
        </select>
      </label>
      <button type="button" onClick={replay.nextError} disabled={errorCount === 0} title="Jump to next error (E)">
        Next error{errorCount > 0 ? ` (${errorCount})` : ''}
      </button>
    </div>
  );
}
