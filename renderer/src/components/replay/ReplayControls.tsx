import type { Replay } from './useReplay';

const SPEEDS = [0.5, 1, 2, 4, 8];

/** First / previous / play-pause / next / last, a scrubber, speed and "next error". */
export function ReplayControls({ replay, errorCount }: { replay: Replay; errorCount: number }) {
  const last = Math.max(0, replay.count - 1);
  return (
    <div className="replay-controls" role="group" aria-label="Replay controls">
      <button type="button" onClick={() => replay.go(0)} title="First step (Home)" aria-label="First step">⏮</button>
      <button type="button" onClick={() => replay.step(-1)} title="Previous step (←)" aria-label="Previous step">◀</button>
      <button type="button" className="primary" onClick={replay.toggle} title="Play / pause (Space)" aria-label={replay.playing ? 'Pause' : 'Play'}>
        {replay.playing ? '❚❚' : '▶'}
      </button>
      <button type="button" onClick={() => replay.step(1)} title="Next step (→)" aria-label="Next step">▶︎|</button>
      <button type="button" onClick={() => replay.go(last)} title="Last step (End)" aria-label="Last step">⏭</button>
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
