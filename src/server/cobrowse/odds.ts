/**
 * The attack figure docs/operator.md states ("Guessing webcodes"), computed from the configured webcode limits: the
 * chance that an attacker with a whole IPv6 /48 (65,536 /64 clients) guesses one of `liveCodes` live webcodes within
 * `minutes`.
 *
 *   guesses N = min( K · maxWrong · (⌈T / lockout⌉ + 1),  budget · (⌈T / 1 min⌉ + 1) + nodes · ⌊T / slowdown⌋ )
 *   chance  P = 1 − ∏_{i<N} (1 − c / (10^6 − i))
 *
 * The first term: each client gets `maxWrong` attempts per lockout window, and T may touch one more window than it
 * spans. The second: the server-wide budget per minute window (again one more window than T spans), then one check
 * per `slowdownMs` per node. P: every guess a different code (the best an attacker can do), against `c` codes live
 * the whole time (a webcode lives `webcodeTtlMinutes`, single use).
 */
import { WEBCODE_LENGTH } from '../../protocol/limits.js';
import type { CobrowseConfig } from '../config/cobrowse.js';

export interface OddsInput {
  /** /64 clients of the attacker. */
  clients: number;
  liveCodes: number;
  minutes: number;
  nodes: number;
}

export const README_ATTACK: OddsInput = { clients: 65_536, liveCodes: 10, minutes: 15, nodes: 1 };

export function webcodeGuesses(config: CobrowseConfig, input: OddsInput): number {
  const t = input.minutes * 60_000;
  const perClient =
    input.clients * config.webcodeMaxWrong * (Math.ceil(t / (config.webcodeLockoutMinutes * 60_000)) + 1);
  const global =
    config.webcodeWrongBudgetPerMinute * (Math.ceil(t / 60_000) + 1) +
    input.nodes * Math.floor(t / config.webcodeSlowdownMs);
  return Math.min(perClient, global);
}

export function webcodeOdds(
  config: CobrowseConfig,
  input: OddsInput = README_ATTACK,
): { guesses: number; chance: number } {
  const space = 10 ** WEBCODE_LENGTH;
  const guesses = webcodeGuesses(config, input);
  let miss = 1;
  for (let i = 0; i < guesses; i++) miss *= 1 - input.liveCodes / (space - i);
  return { guesses, chance: 1 - miss };
}
