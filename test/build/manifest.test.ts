/**
 * The custom-elements manifest (`dist/custom-elements.json`) describes what the package ships: every module path
 * and reference is a file in dist/, every element's events are the declared ones (src/dom/events/, one per file)
 * with their detail types, and every attribute has a type. Reads the build: run `node scripts/build.mjs` first
 * (`node scripts/test.mjs build` does both).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';

const root = new URL('../../', import.meta.url);
const file = (path: string): URL => new URL(path, root);

interface Type {
  text?: string;
}
interface Attribute {
  name: string;
  type?: Type;
  fieldName?: string;
}
interface Member {
  kind: string;
  name: string;
  privacy?: string;
}
interface Declaration {
  kind: string;
  name: string;
  tagName?: string;
  customElement?: boolean;
  attributes?: Attribute[];
  events?: { name: string; type?: Type }[];
  members?: Member[];
}
interface Export {
  kind: string;
  name: string;
  declaration: { name: string; module?: string; package?: string };
}
interface Module {
  path: string;
  declarations?: Declaration[];
  exports?: Export[];
}

function manifest(): { modules: Module[] } {
  const path = file('dist/custom-elements.json');
  assert.ok(existsSync(path), 'dist/custom-elements.json is missing: run `node scripts/build.mjs` first');
  return JSON.parse(readFileSync(path, 'utf8')) as { modules: Module[] };
}

const elements = (modules: Module[]): { module: Module; element: Declaration }[] =>
  modules.flatMap((module) =>
    (module.declarations ?? []).filter((d) => d.customElement === true).map((element) => ({ module, element })),
  );

/** Every string under `module` keys, anywhere in the manifest. */
function references(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) references(item, found);
  else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'module' && typeof value === 'string') found.push(value);
      else references(value, found);
    }
  }
  return found;
}

/**
 * The declared events, from the shipped declarations (dist/lib/dom/events/<name>.d.ts): name → the type of the
 * event as the file declares it in `GlobalEventHandlersEventMap`, spelled out (`CustomEvent<LotseChatEndDetail>`).
 */
function declaredEvents(): Map<string, string> {
  const dir = file('dist/lib/dom/events/');
  const declared = new Map<string, string>();
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.d.ts'))) {
    const text = readFileSync(new URL(name, dir), 'utf8');
    const event = name.slice(0, -'.d.ts'.length);
    const entry = new RegExp(`'${event}': (\\w+);`).exec(text);
    assert.ok(entry, `${name} declares '${event}' in GlobalEventHandlersEventMap (one event per file, named after it)`);
    const alias = new RegExp(`export type ${entry[1]} = (CustomEvent<\\w+>);`).exec(text);
    assert.ok(alias, `${name}: ${entry[1]} is a CustomEvent of a named detail type`);
    declared.set(event, alias[1]);
  }
  return declared;
}

test('every module path and every module reference is a file the package ships in dist/', () => {
  const { modules } = manifest();
  assert.ok(modules.length > 0);
  for (const path of [...modules.map((m) => m.path), ...references(modules)]) {
    assert.match(path, /^dist\/lib\/.+\.js$/, `${path} is a shipped JavaScript module`);
    assert.ok(existsSync(file(path)), `${path} exists`);
  }
});

test("every element's events are declared events, typed with their declared detail", () => {
  const { modules } = manifest();
  const declared = declaredEvents();
  assert.ok(declared.size >= 13, `declared events found: ${[...declared.keys()].join(', ')}`);
  const fired = new Set<string>();
  for (const { module, element } of elements(modules)) {
    for (const event of element.events ?? []) {
      const type = declared.get(event.name);
      assert.ok(type !== undefined, `<${element.tagName}> fires ${event.name}, which src/dom/events/ does not declare`);
      assert.equal(event.type?.text, type, `<${element.tagName}> ${event.name}: @fires {${type}}`);
      fired.add(event.name);
    }
    // What the element's module emits is in its list (events that bubble up from inside may be listed as well).
    const source = readFileSync(file(module.path.replace(/^dist\/lib\//, 'src/').replace(/\.js$/, '.ts')), 'utf8');
    for (const [, name] of source.matchAll(/\bemit\(\s*this,\s*'(lotse-[a-z-]+)'/g)) {
      assert.ok(
        element.events?.some((event) => event.name === name),
        `<${element.tagName}> emits ${name ?? ''} but its manifest entry does not list it (@fires)`,
      );
    }
  }
  assert.deepEqual(
    [...declared.keys()].filter((name) => !fired.has(name)),
    [],
    'every declared event has an element',
  );
});

test('each package entry brings the declarations of the events its elements fire', () => {
  const { modules } = manifest();
  const entries = { visitor: 'dist/lib/visitor/index.d.ts', advisor: 'dist/lib/advisor/index.d.ts' };
  for (const [side, entry] of Object.entries(entries)) {
    const text = readFileSync(file(entry), 'utf8');
    const names = elements(modules)
      .filter(({ module }) => module.path.startsWith(`dist/lib/${side}/`))
      .flatMap(({ element }) => (element.events ?? []).map((event) => event.name));
    for (const name of new Set(names)) assert.ok(text.includes(`'../dom/events/${name}.js'`), `${entry}: ${name}`);
  }
});

test('attributes are typed, and internal state is no attribute', () => {
  const { modules } = manifest();
  for (const { element } of elements(modules)) {
    for (const attribute of element.attributes ?? []) {
      assert.ok(attribute.type?.text, `<${element.tagName}> attribute ${attribute.name} has a type`);
      const field = element.members?.find((member) => member.name === attribute.fieldName);
      assert.notEqual(field?.privacy, 'private', `<${element.tagName}> ${attribute.name} is a private field`);
    }
  }
  const chat = elements(modules).find(({ element }) => element.tagName === 'lotse-chat')?.element;
  assert.deepEqual(
    chat?.attributes?.map((a) => [a.name, a.type?.text]),
    [
      ['lang', 'string'],
      ['server', 'string'],
      ['member-token', 'string'],
      ['topic', 'string'],
      ['closed', 'boolean'],
      ['notify-title', 'boolean'],
    ],
  );
});

test('module exports are what the JavaScript modules export (no type-only exports)', () => {
  const { modules } = manifest();
  for (const module of modules) {
    for (const exported of module.exports ?? []) {
      const { name, module: from } = exported.declaration;
      if (exported.kind !== 'js' || from === undefined) continue;
      const text = readFileSync(file(from), 'utf8');
      const declared = new RegExp(`export (?:class|(?:async )?function\\*?|const|let|var) ${name}\\b`).test(text);
      const listed = [...text.matchAll(/export \{([^}]*)\}/g)].some(([, list]) =>
        (list ?? '').split(',').some((item) => item.trim().split(/\s+as\s+/)[0] === name),
      );
      assert.ok(declared || listed, `${module.path} exports ${exported.name}: ${from} has it at run time`);
    }
  }
});
