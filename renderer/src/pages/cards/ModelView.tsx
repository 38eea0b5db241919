/** What a model is given for this hand: the image (vision variant) and the prompt texts. */
import type { GpDealView } from '../../../../shared/api/channels/generalpoints';
import { CardImage } from './CardImage';
import { PromptTabs } from './PromptTabs';

export function ModelView({ deal }: { deal: GpDealView }) {
  return (
    <div className="card gp-model-view" data-testid="model-view">
      <h2>The model's view</h2>
      {deal.image ? <CardImage image={deal.image} /> : null}
      <PromptTabs
        label="Prompt"
        tabs={[
          { id: 'model', label: 'Model tokens', text: deal.modelPrompt, note: 'What the in-app models read: one token per unit — the J/Q/K values (rJ n10 …), the target (T n24), the cards, then after a failed try its answer and the verdict.' },
          { id: 'compact', label: 'Compact prompt', text: deal.compactPrompt, note: 'A short text rendering of the same information (rule, cards or "image", one line per earlier try), for small external models.' },
          { id: 'paper', label: 'Paper prompt', text: deal.paperPrompt, note: `The paper's ${deal.variant.vision ? 'GP-VL' : 'GP-L'} prompt, verbatim, as external models get it${deal.variant.vision ? ' (with the image)' : ''}.` },
        ]}
      />
    </div>
  );
}
