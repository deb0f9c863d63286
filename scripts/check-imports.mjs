// The layout rules of STYLE.md, checked on every `npm test` so that the layout stays true:
// - protocol/ imports nothing outside itself (but valibot);
// - server/ imports protocol/, Node built-ins and its own dependencies, never browser code;
// - browser code never imports server/ or Node built-ins;
// - visitor/ never imports advisor/ or cobrowse/replay; advisor/ never imports cobrowse/record or visitor/
//   (what both element folders need, registration and server URLs, lives in dom/);
// - rrweb, simple-peer and fflate are each imported in exactly one module; so are the storage drivers (PGlite, pg), which
//   are server-only: PGlite alone is about 27 MB and must never reach a browser bundle;
// - the launcher (what every page view loads) statically imports no Lit, no client, no protocol:
//   those come by dynamic import() on the first click;
// - the co-browse start view (what a webcode loads) statically imports no valibot: a Lit element like the
//   pop-up, with a hand-written parser, so that the visitor's co-browse code stays small (the next rule);
// - no module of visitor/ (the launcher, the chat pop-up, the co-browse elements) nor client/visitor-chat.ts
//   statically imports valibot, directly or through others: the chat's socket has a hand-written parser too
//   (protocol/visitor-parse.ts), so that the pop-up stays within its budget.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const src = join(root, 'src');

const files = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });

const IMPORT = /(?:^|[\s;])(?:import|export)\s+(type\s+)?(?:[\w*{}\s,$]+\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Static and dynamic imports of one file: [{ spec, dynamic, target (absolute path for relative specs) }]. */
function importsOf(file) {
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|(^|[^:])\/\/.*$/gm, '$1');
  const found = [];
  for (const match of text.matchAll(IMPORT)) {
    const spec = match[2] ?? match[3];
    const target = spec.startsWith('.') ? resolve(dirname(file), spec).replace(/\.js$/, '.ts') : undefined;
    found.push({ spec, dynamic: match[3] !== undefined, typeOnly: match[1] !== undefined, target });
  }
  return found;
}

const area = (path) => relative(src, path).split('/')[0];
const BROWSER = new Set(['client', 'visitor', 'advisor', 'cobrowse', 'i18n', 'dom']);
const problems = [];
const singleImport = {
  '@rrweb/record': [], '@rrweb/replay': [], rrweb: [], 'simple-peer': [], 'simple-peer-light': [], fflate: [],
  '@electric-sql/pglite': [], pg: [],
};
const SERVER_ONLY = new Set(['ws', 'jose', 'pg', '@electric-sql/pglite']);

for (const file of files(src)) {
  const from = area(file);
  const name = relative(root, file);
  for (const { spec, target } of importsOf(file)) {
    const to = target ? area(target) : undefined;
    const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
    if (pkg in singleImport) singleImport[pkg].push(name);
    if (from === 'protocol' && (to ? to !== 'protocol' : pkg !== 'valibot')) {
      problems.push(`${name}: protocol/ may import only itself and valibot, not "${spec}"`);
    }
    if (from === 'server' && to !== undefined && to !== 'server' && to !== 'protocol') {
      problems.push(`${name}: server/ may import only server/ and protocol/, not "${spec}"`);
    }
    if (BROWSER.has(from) && (to === 'server' || spec.startsWith('node:') || SERVER_ONLY.has(pkg))) {
      problems.push(`${name}: browser code must not import "${spec}"`);
    }
    if (from === 'visitor' && (to === 'advisor' || (target ?? '').includes('cobrowse/replay') || pkg === '@rrweb/replay')) {
      problems.push(`${name}: visitor/ must not import "${spec}"`);
    }
    if (from === 'advisor' && (to === 'visitor' || (target ?? '').includes('cobrowse/record') || pkg === '@rrweb/record')) {
      problems.push(`${name}: advisor/ must not import "${spec}"`);
    }
  }
}

for (const [pkg, all] of Object.entries(singleImport)) {
  const importers = [...new Set(all)];
  if (importers.length > 1) problems.push(`"${pkg}" is imported in ${importers.length} modules (${importers.join(', ')}); keep it to one`);
}

// The launcher's static closure: what every page view of the insurer's site pays for.
const launcher = join(src, 'visitor', 'lotse.ts');
const seen = new Set();
const queue = [launcher];
while (queue.length > 0) {
  const file = queue.pop();
  if (seen.has(file)) continue;
  seen.add(file);
  for (const { spec, dynamic, typeOnly, target } of importsOf(file)) {
    if (dynamic || typeOnly) continue; // neither ends up in the launcher's bundle
    if (target === undefined) {
      problems.push(`${relative(root, file)}: the launcher's static imports must not include the package "${spec}" (load it with import() on click)`);
    } else if (['client', 'protocol', 'advisor', 'server', 'cobrowse'].includes(area(target))) {
      problems.push(`${relative(root, file)}: the launcher's static imports must not include ${relative(root, target)}`);
    } else {
      queue.push(target);
    }
  }
}

/**
 * Reports every package matching `forbidden` among the static imports of `entries` and of everything they import
 * statically (dynamic imports load later; type-only imports leave no code), with the chain that brings it in.
 */
function forbidInClosure(entries, forbidden, what) {
  const via = new Map(entries.map((entry) => [entry, undefined]));
  const pending = [...entries];
  while (pending.length > 0) {
    const file = pending.shift();
    for (const { spec, dynamic, typeOnly, target } of importsOf(file)) {
      if (dynamic || typeOnly) continue;
      if (target === undefined) {
        if (!forbidden.test(spec)) continue;
        const chain = [];
        for (let step = file; step !== undefined; step = via.get(step)) chain.unshift(relative(root, step));
        problems.push(`${relative(root, file)}: ${what} must not include "${spec}" (${chain.join(' → ')})`);
      } else if (!via.has(target)) {
        via.set(target, file);
        pending.push(target);
      }
    }
  }
}

// The visitor's browser code, the chat pop-up above all: its socket has a hand-written parser (visitor-parse.ts).
forbidInClosure(
  [...files(join(src, 'visitor')), join(src, 'client', 'visitor-chat.ts')],
  /^valibot(\/|$)/,
  "the visitor's static imports",
);

if (problems.length > 0) {
  console.error(`check-imports: ${problems.length} layout rule(s) broken:\n  ` + problems.join('\n  '));
  process.exit(1);
}
console.error(`check-imports: ${files(src).length} modules follow the layout rules`);
