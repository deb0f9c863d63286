/**
 * The secrets of a co-browse session: the webcode the advisor reads out, the start code the visitor reads back,
 * and the comparison of a presented secret in constant time. All randomness comes from `crypto.randomInt`.
 */
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { START_CODE_ALPHABET, START_CODE_LENGTH, WEBCODE_LENGTH } from '../../protocol/limits.js';

const WEBCODE_SPACE = 10 ** WEBCODE_LENGTH;
/** Draws before giving up; with at most a few thousand active codes out of a million this never happens. */
const MAX_DRAWS = 1000;

/**
 * A fresh webcode of `WEBCODE_LENGTH` decimal digits (leading zeros kept) that `claim` took (it answers false for a
 * code in use: `SET NX` in a shared store), or `undefined` when no free one was drawn (the space is nearly
 * exhausted).
 */
export async function newWebcode(
  claim: (code: string) => Promise<boolean>,
  draw: (max: number) => number = randomInt,
): Promise<string | undefined> {
  for (let i = 0; i < MAX_DRAWS; i++) {
    const code = String(draw(WEBCODE_SPACE)).padStart(WEBCODE_LENGTH, '0');
    if (await claim(code)) return code;
  }
  return undefined;
}

/** A start code of `START_CODE_LENGTH` symbols of `START_CODE_ALPHABET`, each drawn uniformly. */
export function newStartCode(): string {
  let code = '';
  for (let i = 0; i < START_CODE_LENGTH; i++) code += START_CODE_ALPHABET[randomInt(START_CODE_ALPHABET.length)];
  return code;
}

/** Compares a presented secret with the expected one in constant time (lengths included, via fixed digests). */
export function secretMatches(expected: string, presented: string): boolean {
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(presented).digest();
  return timingSafeEqual(a, b);
}
