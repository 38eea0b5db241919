import type { AppInfo } from '../../../shared/api/info';

/** Bottom bar: how the workbench runs and which tfjs backend training will use. */
export function StatusBar({ info, onOpenSettings }: { info: AppInfo | undefined; onOpenSettings(): void }) {
  return (
    <footer className="statusbar">
      {info ? (
        <>
          <span>{info.mode === 'electron' ? 'Desktop app' : 'Browser mode'} · v{info.appVersion}</span>
          <button type="button" className="link" onClick={onOpenSettings} title={info.backend.reason} data-testid="backend-status">
            tfjs backend: <strong>{info.backend.name}</strong>
          </button>
        </>
      ) : (
        <span>Connecting…</span>
      )}
    </footer>
  );
}
