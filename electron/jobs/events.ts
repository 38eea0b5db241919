/** In-process fan-out of job events to every connected UI (Electron windows, WebSocket clients). */
import type { JobEvent } from '../../shared/api/events';

export type JobEventListener = (event: JobEvent) => void;

export class JobEventBus {
  private readonly listeners = new Set<JobEventListener>();

  subscribe(listener: JobEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: JobEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken subscriber (e.g. a closed socket) must not stop delivery to the others.
      }
    }
  }

  get size(): number {
    return this.listeners.size;
  }
}
