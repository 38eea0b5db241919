import { Placeholder } from '../components/Placeholder';

export function CardInspectorPage() {
  return (
    <Placeholder
      title="Card inspector"
      lead="GeneralPoints: make 24 from four cards. Inspect every hand, every answer and every verdict."
      items={[
        'Deal a hand by seed, rule (J/Q/K = 10 or 11/12/13) and suit colours; see the cards, the model\'s view and all solutions.',
        'A playground: type an answer and see the verdict, reward and feedback a model would get, over several revision turns.',
        'An episode browser for episodes files, filtered by solved / failed reason / variant.',
      ]}
    />
  );
}
