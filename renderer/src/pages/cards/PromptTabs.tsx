/** Prompt texts in tabs, each shown verbatim (whitespace kept) with a copy button. */
import { useId, useState } from 'react';
import { CopyButton } from './CopyButton';

export interface PromptTab {
  id: string;
  label: string;
  text: string;
  note?: string;
}

export function PromptTabs({ tabs, label }: { tabs: PromptTab[]; label: string }) {
  const [active, setActive] = useState(tabs[0]?.id ?? '');
  const base = useId();
  const tab = tabs.find((t) => t.id === active) ?? tabs[0];
  if (!tab) return null;
  return (
    <div className="gp-prompts">
      <div className="gp-tabs small" role="tablist" aria-label={label}>
        {tabs.map((t) => (
          <button key={t.id} type="button" role="tab" id={`${base}-${t.id}`} aria-selected={t.id === tab.id} className={t.id === tab.id ? 'active' : undefined} onClick={() => setActive(t.id)}>
            {t.label}
          </button>
        ))}
        <span className="gp-tabs-fill" />
        <CopyButton text={tab.text} />
      </div>
      <div role="tabpanel" aria-labelledby={`${base}-${tab.id}`}>
        <pre className="gp-pre" data-testid={`prompt-${tab.id}`}>{tab.text}</pre>
        {tab.note ? <p className="muted gp-small gp-note">{tab.note}</p> : null}
      </div>
    </div>
  );
}
