/** Bad payloads for the card inspector channels (gp:deal, gp:play). */
import { HUGE, type BadCase } from './core';

const DEAL = { seed: 7, rule: 'face10', colors: 'mixed', vision: false };
const PLAY = { deal: DEAL, verificationLimit: 5, referenceQuirks: false, answers: ['1+2+3+4'] };

export const gpBadPayloads: Record<string, BadCase[]> = {
  'gp:deal': [
    ['empty', {}, /seed/],
    ['missing rule', { seed: 1, colors: 'mixed', vision: false }, /rule/],
    ['string seed', { ...DEAL, seed: '7' }, /seed/],
    ['NaN seed', { ...DEAL, seed: Number.NaN }, /seed/],
    ['fractional seed', { ...DEAL, seed: 1.5 }, /seed must be an integer/],
    ['huge seed', { ...DEAL, seed: 2 ** 60 }, /seed must be at most/],
    ['unknown rule', { ...DEAL, rule: 'face12' }, /rule/],
    ['unknown colours', { ...DEAL, colors: 'green' }, /colors/],
    ['string vision', { ...DEAL, vision: 'yes' }, /vision/],
    ['zero target', { ...DEAL, target: 0 }, /target must be at least 1/],
    ['NaN target', { ...DEAL, target: Number.NaN }, /target/],
    ['unreadable values', { ...DEAL, values: 'J=banana' }, /values: cannot read "J=banana"/],
    ['too few values', { ...DEAL, values: '1,2,3' }, /expected 13 values/],
    ['value out of range', { ...DEAL, values: 'K=1000' }, /value of K must be an integer from 0 to 100/],
    ['path-like values', { ...DEAL, values: '../../etc/passwd' }, /values: cannot read/],
    ['huge values', { ...DEAL, values: HUGE }, /longer than 300/],
    ['array values', { ...DEAL, values: [1, 2, 3] }, /values/],
    ['unreachable target', { ...DEAL, target: 997, values: '0,0,0,0,0,0,0,0,0,0,0,0,0' }, /no hand can make 997/],
    ['extra field', { ...DEAL, file: '/etc/passwd' }, /Unrecognized key/i],
    ['null', null, /seed/], // dispatch reads a missing payload as {}
    ['array', [DEAL], /expected object/i],
  ],
  'gp:play': [
    ['empty', {}, /deal/],
    ['missing answers', { deal: DEAL, verificationLimit: 5, referenceQuirks: false }, /answers/],
    ['answers not a list', { ...PLAY, answers: '1+2+3+4' }, /answers/],
    ['number answer', { ...PLAY, answers: [24] }, /answers\.0/],
    ['huge answer', { ...PLAY, answers: [HUGE] }, /longer than 4000/],
    ['too many answers', { ...PLAY, answers: Array.from({ length: 12 }, () => 'x') }, /at most 11 answers/],
    ['limit zero', { ...PLAY, verificationLimit: 0 }, /verificationLimit must be from 1 to 10/],
    ['limit NaN', { ...PLAY, verificationLimit: Number.NaN }, /verificationLimit/],
    ['string quirks', { ...PLAY, referenceQuirks: 'true' }, /referenceQuirks/],
    ['bad deal values', { ...PLAY, deal: { ...DEAL, values: 'Q=x' } }, /deal\.values: cannot read "Q=x"/],
    ['path in deal', { ...PLAY, deal: { ...DEAL, path: '../runs' } }, /Unrecognized key/i],
    ['extra field', { ...PLAY, episode: 3 }, /Unrecognized key/i],
  ],
};
