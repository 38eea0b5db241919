import { useCallback, useEffect, useState } from 'react';
import type { AppInfo } from '../../shared/api/info';
import type { Settings } from '../../shared/api/settings';
import { getApi } from './api/client';
import { NavIcon } from './components/NavIcon';
import { StatusBar } from './components/StatusBar';
import { useRoute, useTheme } from './hooks';
import { CardInspectorPage } from './pages/CardInspectorPage';
import { FiguresPage } from './pages/FiguresPage';
import { MapViewerPage } from './pages/MapViewerPage';
import { NewExperimentPage } from './pages/NewExperimentPage';
import { RunsPage } from './pages/RunsPage';
import { SettingsPage } from './pages/SettingsPage';
import { ROUTES } from './routes';

export function App() {
  const [route, go] = useRoute();
  const [settings, setSettings] = useState<Settings>();
  const [info, setInfo] = useState<AppInfo>();
  const [connectError, setConnectError] = useState<string>();
  useTheme(settings?.theme);

  useEffect(() => {
    const api = getApi();
    api.getSettings({}).then(setSettings, (e: Error) => setConnectError(e.message));
    api.getInfo({}).then(setInfo, (e: Error) => setConnectError(e.message));
  }, []);

  const onSettingsSaved = useCallback((next: Settings) => {
    setSettings(next);
    // The backend depends on the preference: ask again so the status bar tells the truth.
    getApi().getInfo({}).then(setInfo, () => {});
  }, []);

  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Pages">
        <div className="brand">
          <span className="brand-mark">SFT·RL</span>
          <span className="brand-sub">Generalization Workbench</span>
        </div>
        {ROUTES.map((r) => (
          <a key={r.id} href={`#/${r.id}`} className={r.id === route ? 'nav-item active' : 'nav-item'} aria-current={r.id === route ? 'page' : undefined} data-nav={r.id}>
            <NavIcon id={r.id} />
            {r.title}
          </a>
        ))}
      </nav>
      <main className="content">
        {connectError ? (
          <div className="banner error" role="alert">
            {connectError}
          </div>
        ) : null}
        {route === 'runs' && <RunsPage dataDir={settings?.dataDir} />}
        {route === 'new' && <NewExperimentPage onLaunched={() => go('runs')} />}
        {route === 'cards' && <CardInspectorPage />}
        {route === 'map' && <MapViewerPage />}
        {route === 'figures' && <FiguresPage settings={settings} mode={info?.mode} onSettingsSaved={onSettingsSaved} />}
        {route === 'settings' && <SettingsPage settings={settings} info={info} onSaved={onSettingsSaved} />}
      </main>
      <StatusBar info={info} onOpenSettings={() => go('settings')} />
    </div>
  );
}
