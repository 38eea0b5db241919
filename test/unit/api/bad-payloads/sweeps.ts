/** Bad payloads for the sweep channels (see core.ts). */
import type { BadCase } from './core';

export const sweepsBadPayloads: Record<string, BadCase[]> = {
  'sweeps:list': [
    ['extra field', { dir: '/etc' }, /Unrecognized key/i],
    ['array', [1], /expected object/i],
  ],
};
