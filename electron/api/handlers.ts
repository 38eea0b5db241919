/**
 * The implementation of every channel of the contract, merged from one table per concern
 * (electron/api/handlers/*.ts). Payloads arrive already validated by `dispatch`.
 */
import type { Contract } from '../../shared/api/contract';
import { coreHandlers } from './handlers/core';
import { episodesHandlers } from './handlers/episodes';
import { experimentHandlers } from './handlers/experiments';
import { figuresHandlers } from './handlers/figures';
import { gpHandlers } from './handlers/generalpoints';
import { metricsHandlers } from './handlers/metrics';
import { sweepHandlers } from './handlers/sweeps';
import { virlHandlers } from './handlers/virl';
import type { HandlerTable } from './types';

export type { ApiContext, HandlerTable } from './types';

export const handlers: HandlerTable<Contract> = {
  ...coreHandlers,
  ...episodesHandlers,
  ...experimentHandlers,
  ...figuresHandlers,
  ...gpHandlers,
  ...metricsHandlers,
  ...sweepHandlers,
  ...virlHandlers,
};
