/**
 * Bad payloads for the shell channels: [label, payload, fragment the error message must contain].
 * Each concern keeps its table beside this one; contract.test.ts requires one for every channel.
 */
export type BadCase = [label: string, payload: unknown, message: RegExp];

export const HUGE = 'x'.repeat(200_000);

export const coreBadPayloads: Record<string, BadCase[]> = {
  'app:info': [
    ['extra field', { x: 1 }, /Unrecognized key/i],
    ['array', [1], /expected object/i],
    ['string', 'hello', /expected object/i],
  ],
  'settings:get': [
    ['extra field', { dataDir: '/tmp' }, /Unrecognized key/i],
    ['number', 42, /expected object/i],
  ],
  'settings:set': [
    ['empty patch', {}, /names no field/],
    ['wrong type', { theme: 3 }, /theme/],
    ['unknown theme', { theme: 'neon' }, /theme/],
    ['unknown field', { colour: 'red' }, /Unrecognized key/i],
    ['relative dataDir', { dataDir: 'runs/here' }, /must be absolute/],
    ['dotdot dataDir', { dataDir: '/tmp/../etc' }, /"\.\."/],
    ['huge dataDir', { dataDir: `/${HUGE}` }, /longer than 1024/],
    ['NUL in dataDir', { dataDir: '/tmp/a\u0000b' }, /control characters/],
    ['NaN backend', { backend: Number.NaN }, /backend/],
    ['zero concurrent jobs', { concurrentJobs: 0 }, /concurrentJobs: at least one job/],
    ['fractional concurrent jobs', { concurrentJobs: 1.5 }, /concurrentJobs/],
    ['huge concurrent jobs', { concurrentJobs: 100_000 }, /concurrentJobs/],
    ['null', null, /names no field|expected object/],
    ['prototype pollution', JSON.parse('{"__proto__": {"polluted": true}}'), /names no field|Unrecognized/],
  ],
  'runs:list': [['extra field', { all: true }, /Unrecognized key/i]],
  'runs:get': [
    ['missing id', {}, /id/],
    ['number id', { id: 7 }, /id/],
    ['NaN id', { id: Number.NaN }, /id/],
    ['traversal', { id: '../secrets' }, /run id/],
    ['nested path', { id: 'a/b' }, /run id/],
    ['hidden', { id: '.hidden' }, /run id/],
    ['dotdot inside', { id: 'a..b' }, /must not contain/],
    ['huge id', { id: HUGE }, /longer than 128/],
    ['extra field', { id: 'ok', path: '/etc' }, /Unrecognized key/i],
  ],
};
