import { useCallback, useEffect, useState } from 'react';

/** Playback state of a step-through replay: current step, play/pause, speed (steps per second). */
export interface Replay {
  index: number;
  count: number;
  playing: boolean;
  speed: number;
  go(index: number): void;
  step(delta: number): void;
  toggle(): void;
  setSpeed(speed: number): void;
  /** Jumps to the first error step after the current one (wrapping); no-op when there is none. */
  nextError(): void;
}

export function useReplay(count: number, errorSteps: readonly number[]): Replay {
  const [index, setIndex] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(2);
  const last = Math.max(0, count - 1);

  useEffect(() => {
    setIndex((i) => Math.min(i, last));
  }, [last]);

  useEffect(() => {
    if (!playing) return;
    if (index >= last) {
      setPlaying(false);
      return;
    }
    const timer = window.setTimeout(() => setIndex((i) => Math.min(last, i + 1)), 1000 / speed);
    return () => window.clearTimeout(timer);
  }, [playing, index, last, speed]);

  const go = useCallback((i: number) => setIndex(Math.max(0, Math.min(last, Math.round(i)))), [last]);
  const nextError = useCallback(() => {
    if (errorSteps.length === 0) return;
    const after = errorSteps.find((e) => e > index);
    setIndex(after ?? (errorSteps[0] as number));
    setPlaying(false);
  }, [errorSteps, index]);

  return {
    index,
    count,
    playing,
    speed,
    go,
    step: (d) => go(index + d),
    toggle: () => {
      if (!playing && index >= last) setIndex(0);
      setPlaying((p) => !p);
    },
    setSpeed,
    nextError,
  };
}

/** Keyboard shortcuts: ←/→ step, Home/End first/last, Space play/pause, E next error. */
export function useReplayKeys(replay: Replay, enabled = true): void {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) && (target as HTMLInputElement).type !== 'range') return;
      const actions: Record<string, () => void> = {
        ArrowLeft: () => replay.step(-1),
        ArrowRight: () => replay.step(1),
        Home: () => replay.go(0),
        End: () => replay.go(replay.count - 1),
        ' ': () => replay.toggle(),
        e: () => replay.nextError(),
        E: () => replay.nextError(),
      };
      const action = actions[e.key];
      if (action) {
        e.preventDefault();
        action();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [replay, enabled]);
}
