/** Bad payloads for `runs:episodes` (see core.ts for the format): no path may leave a run's episodes folder. */
import { HUGE, type BadCase } from './core';

export const episodesBadPayloads: Record<string, BadCase[]> = {
  'runs:episodes': [
    ['missing file', { id: 'kept' }, /file/],
    ['missing id', { file: 'eval-ood-step000400.jsonl' }, /id/],
    ['traversal file', { id: 'kept', file: '../run.json' }, /bare \.jsonl file name/],
    ['dotdot file', { id: 'kept', file: 'a..jsonl' }, /"\.\."/],
    ['nested file', { id: 'kept', file: 'sub/eval.jsonl' }, /bare \.jsonl file name/],
    ['backslash file', { id: 'kept', file: '..\\run.jsonl' }, /bare \.jsonl file name/],
    ['absolute file', { id: 'kept', file: '/etc/passwd.jsonl' }, /bare \.jsonl file name/],
    ['hidden file', { id: 'kept', file: '.secret.jsonl' }, /bare \.jsonl file name/],
    ['not jsonl', { id: 'kept', file: 'run.json' }, /bare \.jsonl file name/],
    ['NUL in file', { id: 'kept', file: 'a\u0000.jsonl' }, /bare \.jsonl file name/],
    ['huge file', { id: 'kept', file: `${HUGE}.jsonl` }, /longer than 128/],
    ['traversal id', { id: '../secrets', file: 'a.jsonl' }, /run id/],
    ['number file', { id: 'kept', file: 7 }, /file/],
    ['extra field', { id: 'kept', file: 'a.jsonl', path: '/etc' }, /Unrecognized key/i],
    ['prototype pollution', JSON.parse('{"id": "kept", "file": "a.jsonl", "__proto__": {"polluted": true}}'), /Unrecognized|file/],
  ],
};
