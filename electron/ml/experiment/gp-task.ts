/** The GeneralPoints task trainer (electron/ml/gp/trainer.ts), loaded lazily by the experiment driver. */
export { createGpTrainer as createGpTaskTrainer } from '../gp/trainer';
