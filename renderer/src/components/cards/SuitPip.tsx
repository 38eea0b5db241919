/** Suit pips as vector paths (not font glyphs), centred on (0,0) in a 20×20 box. */
const PIP_PATHS: Record<string, string> = {
  hearts: 'M0 8 C-3 5 -10 1 -10 -4 C-10 -8 -6 -10 -3.5 -10 C-1.5 -10 0 -8.5 0 -7 C0 -8.5 1.5 -10 3.5 -10 C6 -10 10 -8 10 -4 C10 1 3 5 0 8 Z',
  diamonds: 'M0 -10 L8 0 L0 10 L-8 0 Z',
  spades: 'M0 -10 C3 -5 10 -2 10 3 C10 6.5 7 8 4.5 8 C3 8 1.5 7 1 6 C1.3 8 2.5 9.5 4 10 L-4 10 C-2.5 9.5 -1.3 8 -1 6 C-1.5 7 -3 8 -4.5 8 C-7 8 -10 6.5 -10 3 C-10 -2 -3 -5 0 -10 Z',
  clubs: 'M0 -10 C3 -10 5 -8 5 -5.5 C5 -3.5 4 -2.5 3 -2 C4 -2.8 5.5 -3 6.5 -3 C9 -3 10.5 -1 10.5 1.5 C10.5 4 8.5 6 6 6 C4 6 2.2 4.5 1.2 3 C1.4 6 2.5 8.7 4.5 10 L-4.5 10 C-2.5 8.7 -1.4 6 -1.2 3 C-2.2 4.5 -4 6 -6 6 C-8.5 6 -10.5 4 -10.5 1.5 C-10.5 -1 -9 -3 -6.5 -3 C-5.5 -3 -4 -2.8 -3 -2 C-4 -2.5 -5 -3.5 -5 -5.5 C-5 -8 -3 -10 0 -10 Z',
};

export function SuitPip({ suit, x, y, size, color, flip = false }: { suit: string; x: number; y: number; size: number; color: string; flip?: boolean }) {
  const s = size / 20;
  return <path d={PIP_PATHS[suit] ?? PIP_PATHS.spades} fill={color} transform={`translate(${x} ${y}) scale(${s}) ${flip ? 'rotate(180)' : ''}`} />;
}
