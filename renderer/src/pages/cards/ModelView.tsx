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
          { id: 'compact', label: 'Compact prompt', text: deal.compactPrompt, note: 'What the in-app models read: target and rule, the cards (or "image"), then one line per earlier try.' },
          { id: 'paper', label: 'Paper prompt', text: deal.paperPrompt, note: `The paper's ${deal.variant.vision ? 'GP-VL' : 'GP-L'} prompt, verbatim, as external models get it${deal.variant.vision ? ' (with the image)' : ''}.` },
        ]}
      />
    </div>
  );
}
