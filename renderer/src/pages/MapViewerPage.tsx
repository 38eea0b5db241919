import { Placeholder } from '../components/Placeholder';

export function MapViewerPage() {
  return (
    <Placeholder
      title="Map viewer"
      lead="V-IRL navigation: follow route instructions through a city by its landmarks."
      items={[
        'Top-down city map with landmarks, the route, its milestones and the agent\'s position and heading.',
        'Step-through replay with keyboard shortcuts and "jump to next error": observation, instruction, raw output, parsed and expert action, reward.',
        'Two episodes on the same route side by side (SFT vs RL), scrubbed together; export the map as SVG.',
      ]}
    />
  );
}
