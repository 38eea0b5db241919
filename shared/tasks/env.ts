/**
 * The common environment contract (Gymnasium-like) that every task simulator implements.
 *
 * The action is always the model's raw text: parsing and verification happen inside the
 * environment, as in the paper. Every episode is fully determined by the seed given to `reset`.
 */

/** Result of one `step`: mirrors Gymnasium's `(obs, reward, terminated, truncated, info)`. */
export interface StepResult<Obs, Info> {
  observation: Obs;
  reward: number;
  /** The episode reached a natural end (solved, or the route finished). */
  terminated: boolean;
  /** The episode was cut off (verification limit exceeded, step cap). */
  truncated: boolean;
  info: Info;
}

export interface Env<ResetOptions, Obs, Info> {
  /** Registered id with version, e.g. `GeneralPoints-v0`. */
  readonly id: string;
  reset(options: ResetOptions): { observation: Obs; info: Info };
  step(answerText: string): StepResult<Obs, Info>;
}
