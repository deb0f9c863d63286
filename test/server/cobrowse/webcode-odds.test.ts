/** The attack figure in docs/operator.md ("Guessing webcodes") is computed from the configuration defaults: they cannot drift. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { README_ATTACK, webcodeOdds } from '../../../src/server/cobrowse/odds.js';
import { defaults } from '../../../src/server/config/lotse-config.js';

const guide = readFileSync(new URL('../../../docs/operator.md', import.meta.url), 'utf8');
const grouped = (n: number): string => n.toLocaleString('en-US');

test('docs/operator.md states the /48 attack figure computed from the defaults', () => {
  const { cobrowse } = defaults;
  const { guesses, chance } = webcodeOdds(cobrowse);
  const t = README_ATTACK.minutes;
  const perClient =
    README_ATTACK.clients * cobrowse.webcodeMaxWrong * (Math.ceil(t / cobrowse.webcodeLockoutMinutes) + 1);
  const windows = Math.ceil(t) + 1;
  const slots = Math.floor((t * 60_000) / cobrowse.webcodeSlowdownMs);
  const line =
    `= min( ${grouped(README_ATTACK.clients)} · ${cobrowse.webcodeMaxWrong} · ${Math.ceil(t / cobrowse.webcodeLockoutMinutes) + 1},  ` +
    `${cobrowse.webcodeWrongBudgetPerMinute} · ${windows} + 1 · ${slots} ) = min( ${grouped(perClient)}, ${grouped(guesses)} ) = ${grouped(guesses)}`;
  assert.ok(guide.includes(line), `docs/operator.md has: ${line}`);
  const percent = `P = 1 − ∏_{i<N} (1 − c / (10⁶ − i)) = ${(chance * 100).toFixed(2)} %`;
  assert.ok(guide.includes(percent), `docs/operator.md has: ${percent}`);
  const three = webcodeOdds(cobrowse, { ...README_ATTACK, nodes: 3 });
  assert.ok(
    guide.includes(`(3 nodes: ${grouped(three.guesses)}\nguesses, ${(three.chance * 100).toFixed(1)} %)`),
    'the three-node figure',
  );
  // The defaults the docs' sentences name.
  for (const text of [
    '`cobrowse.webcodeMaxWrong` (5)',
    '`cobrowse.webcodeWrongBudgetPerMinute` (20)',
    '`cobrowse.webcodeSlowdownMs` (3,000 ms)',
    '`cobrowse.webcodeSlowQueue` (10)',
  ]) {
    assert.ok(guide.includes(text), text);
  }
  assert.deepEqual(
    [
      cobrowse.webcodeMaxWrong,
      cobrowse.webcodeWrongBudgetPerMinute,
      cobrowse.webcodeSlowdownMs,
      cobrowse.webcodeSlowQueue,
    ],
    [5, 20, 3000, 10],
  );
});
