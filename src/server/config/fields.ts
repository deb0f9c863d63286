/**
 * How the configuration schemas carry their own documentation. Each setting is a plain valibot schema piped through
 * `setting()`: a description (the meaning, as the docs show it) and metadata (its environment variable, and how the
 * docs show its default where the value alone does not say it), usually wrapped in `v.optional(…, default)`.
 * `fieldsOf()` walks a schema and lists every setting: path, environment variable, how the variable's text is read
 * (kind, from the schema's own type), default and description. The env loader, `label()`, `lotse --help` and the
 * table in docs/configuration.md all read that one list (`config/reference.ts`).
 */
import * as v from 'valibot';

/** How an environment variable's text becomes a value; `object`: a setting of the config file only. */
export type Kind = 'int' | 'number' | 'string' | 'bool' | 'list' | 'object';

export type SettingMeta = {
  /** The environment variable; none: config file only. */
  readonly env?: string;
  /** After the variable in the docs, e.g. "(or `serve --demo`)". A list says "(comma-separated)" unless this is set. */
  readonly envNote?: string;
  /** The default as the docs show it, where it is not a plain value (made up in demo mode, required, built in). */
  readonly shownDefault?: string;
  /** Appended to the shown default, e.g. " (12 h)" or "; demo: `127.0.0.1`". */
  readonly defaultNote?: string;
  /** How the docs name a setting that is an object, e.g. "`hours.weekly.mon` … `hours.weekly.sun`". */
  readonly label?: string;
};

export interface Field {
  readonly path: string;
  readonly env?: string | undefined;
  readonly kind: Kind;
  readonly description: string;
  /** The default value; `undefined`: none (optional, or required, or made up by the loader). */
  readonly default: unknown;
  readonly meta: SettingMeta;
}

/** A schema documented as one setting: `v.optional(setting(v.boolean(…), 'meaning', { env: 'LOTSE_DEMO' }), false)`. */
export function setting<const TSchema extends v.GenericSchema>(
  schema: TSchema,
  description: string,
  meta: SettingMeta = {},
) {
  return v.pipe(schema, v.description(description), v.metadata(meta));
}

/** The parts of a valibot schema object the walk reads (valibot's own, public properties). */
interface SchemaNode {
  readonly kind: string;
  readonly type: string;
  readonly pipe?: readonly SchemaNode[];
  readonly wrapped?: SchemaNode;
  readonly entries?: Readonly<Record<string, SchemaNode>>;
  readonly default?: unknown;
  readonly description?: unknown;
  readonly metadata?: unknown;
}

function pipeItems(node: SchemaNode): readonly SchemaNode[] {
  return node.pipe ?? [];
}

function descriptionOf(node: SchemaNode): string | undefined {
  const found = [...pipeItems(node)].reverse().find((item) => item.type === 'description');
  return typeof found?.description === 'string' ? found.description : undefined;
}

function metaOf(node: SchemaNode): SettingMeta {
  const found = [...pipeItems(node)].reverse().find((item) => item.type === 'metadata');
  const data: Readonly<Record<string, unknown>> =
    typeof found?.metadata === 'object' && found.metadata !== null
      ? Object.fromEntries(Object.entries(found.metadata))
      : {};
  const text = (key: keyof SettingMeta) => (typeof data[key] === 'string' ? { [key]: data[key] } : {});
  return { ...text('env'), ...text('envNote'), ...text('shownDefault'), ...text('defaultNote'), ...text('label') };
}

/** Whether the schema, or a schema its pipe starts with, has an action of this type (`integer`). */
function hasAction(node: SchemaNode, type: string): boolean {
  return pipeItems(node).some(
    (item) => item.type === type || (item !== node && item.kind === 'schema' && hasAction(item, type)),
  );
}

function kindOf(node: SchemaNode, path: string): Kind {
  switch (node.type) {
    case 'boolean':
      return 'bool';
    case 'number':
      return hasAction(node, 'integer') ? 'int' : 'number';
    case 'array':
      return 'list';
    case 'string':
    case 'picklist':
      return 'string';
    case 'strict_object':
    case 'object':
    case 'loose_object':
    case 'record':
      return 'object';
    default:
      throw new Error(`config schema: ${path} has a type (${node.type}) an environment variable cannot set`);
  }
}

/** Every setting of an object schema, depth first in the schema's order. */
export function fieldsOf(schema: SchemaNode, prefix = ''): Field[] {
  const fields: Field[] = [];
  for (const [key, entry] of Object.entries(schema.entries ?? {})) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    const inner = entry.type === 'optional' && entry.wrapped !== undefined ? entry.wrapped : entry;
    const description = descriptionOf(inner);
    if (description === undefined) {
      if (inner.entries === undefined) throw new Error(`config schema: ${path} has no description (setting())`);
      fields.push(...fieldsOf(inner, path));
      continue;
    }
    const meta = metaOf(inner);
    const kind = kindOf(inner, path);
    if (kind === 'object' && meta.env !== undefined)
      throw new Error(`config schema: ${path} is an object; no environment variable can set it`);
    fields.push({
      path,
      env: meta.env,
      kind,
      description,
      default: entry.type === 'optional' ? entry.default : undefined,
      meta,
    });
  }
  return fields;
}

/**
 * What the schema makes of nothing but its defaults: every default, validated, as a config file would hold it
 * (settings without a default are left out). Typed as the schema's output.
 */
export function defaultsOf<const TSchema extends v.GenericSchema>(schema: TSchema): v.InferOutput<TSchema> {
  return v.parse(schema, withoutUndefined(v.getDefaults(schema)));
}

/** The value without its `undefined` members, recursively. */
export function withoutUndefined<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const kept = Object.entries(value).filter(([, member]) => member !== undefined);
  return Object.fromEntries(kept.map(([key, member]) => [key, withoutUndefined(member)])) as T;
}
