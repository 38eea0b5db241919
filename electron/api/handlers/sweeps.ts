/** Handlers of the sweep channels: the run store's sweeps with their runs and Slurm states. */
import type { sweepChannels } from '../../../shared/api/channels/sweeps';
import { listSweepStatus } from '../../sweeps/status';
import type { HandlerTable } from '../types';

export const sweepHandlers: HandlerTable<typeof sweepChannels> = {
  'sweeps:list': async (_req, ctx) => listSweepStatus(ctx.settings.get().dataDir),
};
