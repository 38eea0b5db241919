import { Placeholder } from '../components/Placeholder';

export function FiguresPage() {
  return (
    <Placeholder
      title="Figures"
      lead="Paper-ready figures from your runs, with the data behind them."
      items={[
        'In- and out-of-distribution success against training compute (GFLOPs), SFT vs RL, with seed bands.',
        'The bar chart of OOD change from the initial checkpoint across the four settings.',
        'Export SVG, PNG, PDF and CSV with size, fonts and a colour-blind-safe palette.',
      ]}
    />
  );
}
