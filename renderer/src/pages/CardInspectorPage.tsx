/**
 * The card inspector (issue 3): deal GeneralPoints hands, see them as the model does, play
 * answers against the verifier, and browse episode files. All simulation runs behind the API
 * (gp:deal, gp:play); the page only keeps what the user typed.
 */
import { useEffect, useState } from 'react';
import type { GpDealView } from '../../../shared/api/channels/generalpoints';
import { getApi } from '../api/client';
import { useAsync } from '../hooks';
import { useRunEpisodesLink } from '../runEpisodes';
import { DealControls } from './cards/DealControls';
import { EpisodeBrowser } from './cards/EpisodeBrowser';
import { HandPanel } from './cards/HandPanel';
import { ModelView } from './cards/ModelView';
import { DEFAULT_FORM, dealSpecOf, type DealForm } from './cards/model';
import { Playground, type PlaySettings } from './cards/Playground';
import { SolutionsPanel } from './cards/SolutionsPanel';
import './cards/cards.css';

type Tab = 'hand' | 'episodes';

export function CardInspectorPage() {
  // A Runs page link (`#/cards?run=…&file=…`) opens that file in the episode browser.
  const link = useRunEpisodesLink('cards');
  const [tab, setTab] = useState<Tab>(link ? 'episodes' : 'hand');
  useEffect(() => {
    if (link) setTab('episodes');
  }, [link]);
  const [form, setForm] = useState<DealForm>(DEFAULT_FORM);
  const [play, setPlay] = useState<PlaySettings>({ verificationLimit: 5, referenceQuirks: false });
  const spec = dealSpecOf(form);
  const specKey = spec.ok ? JSON.stringify(spec.spec) : '';
  // The key travels with the result, so a hand is never paired with a form it was not dealt for.
  const deal = useAsync<{ key: string; view: GpDealView } | undefined>(
    async () => (spec.ok ? { key: specKey, view: await getApi().gpDeal(spec.spec) } : undefined),
    [specKey],
  );
  const error = spec.ok ? deal.error : spec.error;
  // While the next hand is dealt the last one stays (dimmed) instead of flickering away.
  const shown = error ? undefined : deal.data;
  const fresh = spec.ok && shown?.key === specKey ? spec.spec : undefined;

  return (
    <section className="page gp-page" aria-labelledby="page-title">
      <header className="page-header">
        <h1 id="page-title">Card inspector</h1>
        <div className="gp-tabs" role="tablist" aria-label="Inspector views">
          <button type="button" role="tab" aria-selected={tab === 'hand'} className={tab === 'hand' ? 'active' : undefined} onClick={() => setTab('hand')}>Hand &amp; playground</button>
          <button type="button" role="tab" aria-selected={tab === 'episodes'} className={tab === 'episodes' ? 'active' : undefined} onClick={() => setTab('episodes')}>Episode browser</button>
        </div>
      </header>
      <p className="lead">GeneralPoints: make 24 from four cards, each used once. Deal a hand, see exactly what a model sees, answer as a model would, and browse recorded episodes.</p>
      <div hidden={tab !== 'hand'}>
        <DealControls form={form} onChange={setForm} error={error} />
        {shown ? (
          <div className={fresh ? 'gp-dealt' : 'gp-dealt stale'}>
            <HandPanel deal={shown.view} />
            <div className="gp-columns">
              <ModelView deal={shown.view} />
              <SolutionsPanel deal={shown.view} />
            </div>
            {fresh ? <Playground key={specKey} spec={fresh} deal={shown.view} settings={play} onSettings={setPlay} /> : null}
          </div>
        ) : deal.loading && !error ? <p className="muted">Dealing…</p> : null}
      </div>
      <div hidden={tab !== 'episodes'}>
        <EpisodeBrowser link={link} />
      </div>
    </section>
  );
}
