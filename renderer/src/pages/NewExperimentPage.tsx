import { Placeholder } from '../components/Placeholder';

export function NewExperimentPage() {
  return (
    <Placeholder
      title="New experiment"
      lead="Launch the study's experiments: a base model, an initial SFT checkpoint, then an SFT branch and an RL branch from the same checkpoint, evaluated in and out of distribution at matched compute."
      items={[
        'Presets: GeneralPoints rule variant, GeneralPoints visual variant, V-IRL rule variant, V-IRL visual variant, and "Paper: all four".',
        'A form generated from the experiment config schema: seeds, budgets, verification limit, PPO or GRPO.',
        'Launch as a background job with per-stage progress and ETA; the same runs from the CLI (sftrl train --preset gp-rule).',
      ]}
    />
  );
}
