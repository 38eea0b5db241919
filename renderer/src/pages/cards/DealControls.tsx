/** The deal form: seed (with a random-seed button), rule, target, suit colours and the vision switch. */
import { randomSeed, type Colors, type DealForm, type RuleChoice } from './model';

const RULES: { id: RuleChoice; label: string; hint: string }[] = [
  { id: 'face10', label: 'J Q K = 10', hint: 'face10, in distribution' },
  { id: 'face11-13', label: 'J Q K = 11 12 13', hint: 'face11-13, out of distribution' },
  { id: 'custom', label: 'Custom values', hint: 'your own card values' },
];

const COLORS: { id: Colors; label: string; hint: string }[] = [
  { id: 'black', label: '♠♣ Black', hint: 'visual in distribution' },
  { id: 'red', label: '♥♦ Red', hint: 'visual out of distribution' },
  { id: 'mixed', label: 'Mixed', hint: 'all four suits (GP-L)' },
];

/** A die (drawn, not an emoji: emoji fonts are missing on many Linux machines). */
function DiceIcon() {
  return (
    <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true" className="gp-dice">
      <rect x="1.5" y="1.5" width="13" height="13" rx="3" fill="none" stroke="currentColor" strokeWidth="1.5" />
      {[[5, 5], [11, 5], [8, 8], [5, 11], [11, 11]].map(([x, y]) => <circle key={`${x},${y}`} cx={x} cy={y} r="1.3" fill="currentColor" />)}
    </svg>
  );
}

function Segmented<T extends string>({ name, value, options, onChange }: { name: string; value: T; options: { id: T; label: string; hint: string }[]; onChange(v: T): void }) {
  return (
    <div className="gp-segmented" role="radiogroup" aria-label={name}>
      {options.map((o) => (
        <label key={o.id} className={o.id === value ? 'active' : undefined} title={o.hint}>
          <input type="radio" name={name} value={o.id} checked={o.id === value} onChange={() => onChange(o.id)} />
          {o.label}
        </label>
      ))}
    </div>
  );
}

export function DealControls({ form, onChange, error }: { form: DealForm; onChange(f: DealForm): void; error: string | undefined }) {
  const set = (patch: Partial<DealForm>) => onChange({ ...form, ...patch });
  return (
    <form className="card gp-deal" aria-label="Deal a hand" onSubmit={(e) => e.preventDefault()}>
      <div className="gp-deal-row">
        <label className="gp-field">
          <span>Seed</span>
          <span className="gp-seed">
            <input name="seed" inputMode="numeric" value={form.seed} spellCheck={false} onChange={(e) => set({ seed: e.target.value })} />
            <button type="button" onClick={() => set({ seed: randomSeed() })} title="Deal the hand of a new random seed">
              <DiceIcon /> Random
            </button>
          </span>
        </label>
        <div className="gp-field">
          <span>Rule</span>
          <Segmented name="rule" value={form.rule} options={RULES} onChange={(rule) => set({ rule })} />
        </div>
        <label className="gp-field gp-target">
          <span>Target</span>
          <input name="target" inputMode="numeric" value={form.target} onChange={(e) => set({ target: e.target.value })} />
        </label>
      </div>
      <div className="gp-deal-row">
        <div className="gp-field">
          <span>Suit colours</span>
          <Segmented name="colors" value={form.colors} options={COLORS} onChange={(colors) => set({ colors })} />
        </div>
        <label className="gp-switch" title="GP-VL: the model sees only an image of the cards and must name them">
          <input type="checkbox" name="vision" checked={form.vision} onChange={(e) => set({ vision: e.target.checked })} />
          <span>Vision variant (GP-VL)</span>
        </label>
      </div>
      {form.rule === 'custom' ? (
        <label className="gp-field gp-values">
          <span>Card values</span>
          <input name="values" value={form.values} spellCheck={false} placeholder="J=11, Q=12, K=13" onChange={(e) => set({ values: e.target.value })} />
          <small>Overrides of J Q K = 10 such as <code>A=11, J=2</code>, or 13 numbers for A, 2 … 10, J, Q, K. Values are whole numbers 0–100.</small>
        </label>
      ) : null}
      {error ? (
        <div className="banner error gp-deal-error" role="alert" data-testid="deal-error">
          {error}
        </div>
      ) : null}
    </form>
  );
}
