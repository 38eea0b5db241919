/** Bad payloads for the dashboard channels (see core.ts for the format). */
import { HUGE, type BadCase } from './core';

export const metricsBadPayloads: Record<string, BadCase[]> = {
  'runs:catalog': [
    ['extra field', { all: true }, /Unrecognized key/i],
    ['array', [], /expected object/i],
  ],
  'runs:metrics': [
    ['missing ids', {}, /ids/],
    ['empty ids', { ids: [] }, /names no run/],
    ['too many ids', { ids: Array.from({ length: 201 }, (_, i) => `r${i}`) }, /at most 200/],
    ['traversal id', { ids: ['../secrets'] }, /run id/],
    ['hidden id', { ids: ['.git'] }, /run id/],
    ['huge id', { ids: [HUGE] }, /longer than 128/],
    ['number id', { ids: [7] }, /ids/],
    ['bad key', { ids: ['kept'], keys: ['<script>'] }, /metric key/],
    ['too many keys', { ids: ['kept'], keys: Array.from({ length: 65 }, (_, i) => `k${i}`) }, /at most 64/],
    ['extra field', { ids: ['kept'], path: '/etc' }, /Unrecognized key/i],
    ['prototype pollution', JSON.parse('{"ids": ["kept"], "__proto__": {"polluted": true}}'), /Unrecognized|ids/],
  ],
};
