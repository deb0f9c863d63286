// Lotse's layout rules as an ESLint plugin (`layout/…`), so that `npx eslint .` keeps the shape of STYLE.md true.
// What the rules forbid is stated in eslint.config.js; this module only knows how to read imports:
// - `layout/boundaries`: a module's own imports (static, dynamic, type-only, re-exports), each resolved to a file
//   under the project root or named as a package, checked against rules of the form "modules matching `from`
//   (but not `except`) may import only `allow` / never `forbid`".
// - `layout/one-importer`: each listed package is imported by the one module named for it and by no other.
// - `layout/static-closure`: what a module loads with it, i.e. its static imports and theirs, transitively (dynamic
//   `import()` loads later, `import type` leaves no code), must not include what `forbid` names. Read from disk with
//   the TypeScript parser, so that one module's closure is checked when that module is linted.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** A project path as the rules spell it: relative to the root, with `/`. */
const projectPath = (file) => relative(root, file).split(sep).join('/');

/** `**` any path, `*` any name within one folder, `{a,b}` either; the whole path must match. */
function globToRegExp(glob) {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i];
    if (char === '*' && glob[i + 1] === '*') {
      source += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '{') source += '(?:';
    else if (char === '}') source += ')';
    else if (char === ',') source += '|';
    else source += char.replace(/[.+?^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

const globCache = new Map();
/** Whether a project path matches any of the globs. */
const matches = (path, globs = []) =>
  globs.some((glob) => {
    if (!globCache.has(glob)) globCache.set(glob, globToRegExp(glob));
    return globCache.get(glob).test(path);
  });

const BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/** The package a bare specifier names (`@scope/name` or `name`), or `node:` for a Node built-in. */
const packageOf = (spec) =>
  BUILTINS.has(spec) || spec.startsWith('node:')
    ? 'node:'
    : spec.startsWith('@')
      ? spec.split('/').slice(0, 2).join('/')
      : spec.split('/')[0];

/** The project path a relative specifier names (`./x.js` is the source `./x.ts`), or undefined for a package. */
function target(fromFile, spec) {
  if (!spec.startsWith('.')) return undefined;
  const path = resolve(dirname(fromFile), spec);
  const source = path.replace(/\.js$/, '.ts');
  return projectPath(source !== path && existsSync(source) ? source : path);
}

/** What an import names, for messages and rules: `{ spec, file }` (file for project modules) or `{ spec, pkg }`. */
function describe(fromFile, spec) {
  const file = target(fromFile, spec);
  return file !== undefined ? { spec, file } : { spec, pkg: packageOf(spec) };
}

/**
 * Whether `what` (from describe) is among `set`: `{ files: globs, packages: globs }`; a package is its name
 * without subpath (`lit` for `lit/decorators.js`), `node:` for every Node built-in, and `**` matches them all.
 */
const among = (what, set = {}) =>
  what.file !== undefined ? matches(what.file, set.files) : matches(what.pkg, set.packages);

/** Calls `check(node, spec, { typeOnly, dynamic })` for every import of the module being linted. */
function eachImport(check) {
  const literal = (node) => (node?.type === 'Literal' && typeof node.value === 'string' ? node.value : undefined);
  const seen = (node, kind, dynamic) => {
    const spec = literal(node.source) ?? literal(node.argument?.literal);
    if (spec !== undefined) check(node, spec, { typeOnly: kind === 'type', dynamic });
  };
  return {
    ImportDeclaration: (node) => seen(node, node.importKind, false),
    ExportNamedDeclaration: (node) => node.source && seen(node, node.exportKind, false),
    ExportAllDeclaration: (node) => seen(node, node.exportKind, false),
    ImportExpression: (node) => seen(node, 'value', true),
    TSImportType: (node) => seen(node, 'type', false),
  };
}

const setSchema = {
  type: 'object',
  properties: {
    files: { type: 'array', items: { type: 'string' } },
    packages: { type: 'array', items: { type: 'string' } },
  },
  additionalProperties: false,
};

const boundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Which modules a module may import, by folder (see eslint.config.js).' },
    schema: [
      {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            from: { type: 'array', items: { type: 'string' } },
            except: { type: 'array', items: { type: 'string' } },
            allow: setSchema,
            forbid: setSchema,
            because: { type: 'string' },
          },
          required: ['from', 'because'],
          additionalProperties: false,
        },
      },
    ],
    messages: { broken: '"{{spec}}" may not be imported here: {{because}}' },
  },
  create(context) {
    const file = context.filename;
    const here = projectPath(file);
    const rules = (context.options[0] ?? []).filter((rule) => matches(here, rule.from) && !matches(here, rule.except));
    if (rules.length === 0) return {};
    return eachImport((node, spec) => {
      const what = describe(file, spec);
      for (const rule of rules) {
        const allowed = rule.allow === undefined || among(what, rule.allow);
        if (!allowed || among(what, rule.forbid)) {
          context.report({ node, messageId: 'broken', data: { spec, because: rule.because } });
          return;
        }
      }
    });
  },
};

const oneImporter = {
  meta: {
    type: 'problem',
    docs: { description: 'Each listed package is imported in exactly one module, the one named for it.' },
    schema: [{ type: 'object', additionalProperties: { type: 'string' } }],
    messages: { elsewhere: '"{{pkg}}" is imported only in {{owner}}, which wraps it for the rest of Lotse' },
  },
  create(context) {
    const owners = context.options[0] ?? {};
    const here = projectPath(context.filename);
    return eachImport((node, spec) => {
      if (spec.startsWith('.')) return;
      const pkg = packageOf(spec);
      const owner = owners[pkg];
      if (owner !== undefined && owner !== here) context.report({ node, messageId: 'elsewhere', data: { pkg, owner } });
    });
  },
};

/** The static value imports of a module on disk, `[{ spec }]`, cached until the file changes. */
const staticImportCache = new Map();
function staticImports(file) {
  const { mtimeMs } = statSync(file);
  const cached = staticImportCache.get(file);
  if (cached?.mtimeMs === mtimeMs) return cached.specs;
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const specs = [];
  for (const statement of source.statements) {
    const spec = statement.moduleSpecifier;
    if (spec === undefined || !ts.isStringLiteral(spec)) continue;
    if (ts.isImportDeclaration(statement) && statement.importClause?.isTypeOnly) continue;
    if (ts.isExportDeclaration(statement) && statement.isTypeOnly) continue;
    specs.push(spec.text);
  }
  staticImportCache.set(file, { mtimeMs, specs });
  return specs;
}

const staticClosure = {
  meta: {
    type: 'problem',
    docs: { description: 'What a module loads with it (its static imports, transitively) must not include `forbid`.' },
    schema: [
      {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            from: { type: 'array', items: { type: 'string' } },
            forbid: setSchema,
            because: { type: 'string' },
          },
          required: ['from', 'forbid', 'because'],
          additionalProperties: false,
        },
      },
    ],
    messages: {
      direct: '"{{spec}}" may not be loaded here: {{because}}',
      brings: '"{{spec}}" brings in "{{what}}" ({{chain}}): {{because}}',
    },
  },
  create(context) {
    const file = context.filename;
    const here = projectPath(file);
    const rules = (context.options[0] ?? []).filter((rule) => matches(here, rule.from));
    if (rules.length === 0) return {};
    return eachImport((node, spec, { typeOnly, dynamic }) => {
      if (typeOnly || dynamic) return;
      for (const { forbid, because } of rules) {
        const found = reach(file, spec, forbid);
        if (found === undefined) continue;
        const chain = [here, ...found.chain].join(' → ');
        const messageId = found.chain.length === 1 ? 'direct' : 'brings';
        context.report({ node, messageId, data: { spec, what: found.what, chain, because } });
      }
    });
  },
};

/**
 * The first module or package among `forbid` that importing `spec` from `file` loads, breadth first so that the
 * chain to it is a shortest one: `{ what, chain }`, or undefined.
 */
function reach(file, spec, forbid) {
  const key = (what) => what.file ?? what.spec;
  const first = describe(file, spec);
  const via = new Map([[key(first), undefined]]);
  const pending = [first];
  while (pending.length > 0) {
    const what = pending.shift();
    if (among(what, forbid)) {
      const chain = [];
      for (let step = key(what); step !== undefined; step = via.get(step)) chain.unshift(step);
      return { what: key(what), chain };
    }
    if (what.file === undefined) continue;
    const path = resolve(root, what.file);
    if (!existsSync(path)) continue;
    for (const next of staticImports(path)) {
      const found = describe(path, next);
      if (via.has(key(found))) continue;
      via.set(key(found), what.file);
      pending.push(found);
    }
  }
  return undefined;
}

export default {
  meta: { name: 'lotse-layout' },
  rules: { boundaries, 'one-importer': oneImporter, 'static-closure': staticClosure },
};
