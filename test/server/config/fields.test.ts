/** A schema documents its settings: fieldsOf() reads path, env var, kind, default and description from it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as v from 'valibot';
import { defaultsOf, fieldsOf, setting } from '../../../src/server/config/fields.js';
import { FIELDS } from '../../../src/server/config/lotse-config.js';

const Example = v.strictObject({
  port: v.optional(setting(v.pipe(v.number(), v.integer(), v.minValue(0)), 'the port', { env: 'X_PORT' }), 80),
  ratio: v.optional(setting(v.pipe(v.number(), v.gtValue(0)), 'a fraction', { env: 'X_RATIO' }), 0.5),
  on: v.optional(setting(v.boolean(), 'a switch', { env: 'X_ON' }), false),
  names: v.optional(setting(v.array(v.string()), 'a list', { env: 'X_NAMES', envNote: ' (commas)' }), []),
  mode: v.optional(setting(v.picklist(['a', 'b']), 'one of two', { env: 'X_MODE' }), 'a'),
  secret: v.optional(setting(v.string(), 'no default', { env: 'X_SECRET' })),
  nested: v.strictObject({
    text: v.optional(setting(v.strictObject({ de: v.string() }), 'file only', { label: '`nested.text.de`' }), {
      de: 'Hallo',
    }),
  }),
});

test('kinds come from the schema: integer, number, switch, list, text, object', () => {
  const fields = fieldsOf(Example);
  assert.deepEqual(
    fields.map((f) => [f.path, f.env, f.kind, f.default]),
    [
      ['port', 'X_PORT', 'int', 80],
      ['ratio', 'X_RATIO', 'number', 0.5],
      ['on', 'X_ON', 'bool', false],
      ['names', 'X_NAMES', 'list', []],
      ['mode', 'X_MODE', 'string', 'a'],
      ['secret', 'X_SECRET', 'string', undefined],
      ['nested.text', undefined, 'object', { de: 'Hallo' }],
    ],
  );
  assert.equal(fields[3]?.meta.envNote, ' (commas)');
  assert.equal(fields[6]?.description, 'file only');
});

test('the defaults: validated, without the settings that have none', () => {
  assert.deepEqual(defaultsOf(Example), {
    port: 80,
    ratio: 0.5,
    on: false,
    names: [],
    mode: 'a',
    nested: { text: { de: 'Hallo' } },
  });
  assert.throws(() => defaultsOf(v.strictObject({ n: v.optional(v.pipe(v.number(), v.minValue(1)), 0) })));
});

test('a setting without a description, or an object with an env var, is refused at once', () => {
  assert.throws(() => fieldsOf(v.strictObject({ bare: v.optional(v.number(), 1) })), /bare has no description/);
  assert.throws(
    () => fieldsOf(v.strictObject({ o: setting(v.strictObject({}), 'o', { env: 'X_O' }) })),
    /o is an object/,
  );
});

test('the configuration keeps the kinds the env loader had before the schema carried them', () => {
  const kind = (path: string) => FIELDS.find((f) => f.path === path)?.kind;
  assert.deepEqual(
    [
      'port',
      'limits.advisorRate.perSecond',
      'trustProxy',
      'allowedOrigins',
      'cobrowse.ice.transportPolicy',
      'hours.weekly',
    ].map(kind),
    ['int', 'number', 'bool', 'list', 'string', 'object'],
  );
});
