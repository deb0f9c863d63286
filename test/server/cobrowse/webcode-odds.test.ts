/** The README's attack figure for guessing webcodes is computed from the configuration defaults: they cannot drift. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { README_ATTACK, webcodeOdds } from '../../../src/server/cobrowse/odds.js';
import { defaults } from '../../../src/server/config/lotse-config.js';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const grouped = (n: number): string => n.toLocaleString('en-US');

test('the README states the /48 attack figure computed from the defaults', () => {
  const { cobrowse } = defaults;
  const { guesses, chance } = webcodeOdds(cobrowse);
  const t = README_ATTACK.minutes;
  const perClient = README_ATTACK.clients * cobrowse.webcodeMaxWrong * (Math.ceil(t / cobrowse.webcodeLockoutMinutes) + 1);
  const windows = Math.ceil(t) + 1;
  const slots = Math.floor((t * 60_000) / cobrowse.webcodeSlowdownMs);
  const line = `= min( ${grouped(README_ATTACK.clients)} · ${cobrowse.webcodeMaxWrong} · ${Math.ceil(t / cobrowse.webcodeLockoutMinutes) + 1},  ` +
    `${cobrowse.webcodeWrongBudgetPerMinute} · ${windows} + 1 · ${slots} ) = min( ${grouped(perClient)}, ${grouped(guesses)} ) = ${grouped(guesses)}`;
  assert.ok(readme.includes(line), `README has: ${line}`);
  const percent = `P = 1 − ∏_{i<N} (1 − c / (10⁶ − i)) = ${(chance * 100).toFixed(2)} %`;
  assert.ok(readme.includes(percent), `README has: ${percent}`);
  const three = webcodeOdds(cobrowse, { ...README_ATTACK, nodes: 3 });
  assert.ok(readme.includes(`(3 nodes: ${grouped(three.guesses)}\nguesses, ${(three.chance * 100).toFixed(1)} %)`), 'the three-node figure');
  // The defaults the README's sentences name.
  for (const text of ['`cobrowse.webcodeMaxWrong` (5)', '`cobrowse.webcodeWrongBudgetPerMinute` (20)', '`cobrowse.webcodeSlowdownMs` (3,000 ms)', '`cobrowse.webcodeSlowQueue` (10)']) {
    assert.ok(readme.includes(text), text);
  }
  assert.deepEqual([cobrowse.webcodeMaxWrong, cobrowse.webcodeWrongBudgetPerMinute, cobrowse.webcodeSlowdownMs, cobrowse.webcodeSlowQueue], [5, 20, 3000, 10]);
});
