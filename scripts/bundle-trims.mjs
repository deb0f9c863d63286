// Rollup plugins that take out of two dependencies code that can never run in Lotse's bundles. Each checks that
// the code looks as expected and fails the build when it does not: after an update of the dependency, look again
// rather than loosen the check. Both keep every other line where it was, so that the dependency's source map
// still holds (`map: null`).
//
// rrwebRecordTrim (the visitor's bundle): what Lotse has switched off for good in @rrweb/record, and one line
// that breaks the insurer's CSP.
//
// Lotse records no canvas contents and collects no fonts (`recordCanvas: false`, `collectFonts: false`: privacy
// defaults of src/cobrowse/record.ts that a host page cannot switch on). Yet rrweb's bundle carries its canvas
// recorder, `CanvasManager` with its 2D and WebGL hooks and the source of a snapshot worker that it puts into a
// Blob as the module loads, and its font observer: some 3 KB (gzip) of the visitor's co-browse code that never
// runs. Here `CanvasManager` becomes a stub that refuses canvas recording outright, the worker's Blob is not made,
// and the font observer is never called; tree-shaking drops the rest, as nothing else uses it. Each of these
// pieces must be found exactly once.
//
// It also makes rrweb keep a strict CSP (`style-src 'self'`, no 'unsafe-inline'), which Lotse promises the
// insurer's page. To send only what changed in a `style` attribute, rrweb parses the attribute's old value by
// writing it with `setAttribute("style", …)` onto a span of a detached document; a browser checks that write
// against the page's CSP all the same (style-src-attr) and reports a violation for every style change on the page
// while co-browsing. The span gets the old value through the CSSOM (`style.cssText = …`) instead, which a CSP does
// not govern and which parses it the same way (rrweb-io/rrweb#816; posthog-js#3909 made the same change).
//
// simplePeerWithoutDebug (both bundles): simple-peer-light logs through `this._debug(…)`, 39 calls with their
// message texts, which do nothing unless the peer is made with `debug: true`; `src/client/peer-link.ts` never
// passes it. The calls go, found in the syntax tree (not by text); the method itself stays.
const FILE = /[\\/]@rrweb[\\/]record[\\/]dist[\\/]record\.js$/;

/** What `record()` calls on its canvas manager; the stub has each of them, doing nothing. */
const STUB = `class CanvasManager {
  constructor(options) {
    if (options.recordCanvas) throw new Error("LOTSE_ERR_INVALID_OPTION: this build of rrweb records no canvas");
  }
  reset() {}
  freeze() {}
  unfreeze() {}
  lock() {}
  unlock() {}
}
`;
const BLOB =
  'const blob = typeof self !== "undefined" && self.Blob && new Blob([jsContent], { type: "text/javascript;charset=utf-8" });';
const FONTS = 'if (o.collectFonts) {';
const STYLE_DIFF = 'old.setAttribute("style", m.oldValue);';

function fail(message) {
  throw new Error(`rrweb-record-trim: ${message}; has @rrweb/record changed?`);
}

function once(code, text) {
  const at = code.indexOf(text);
  if (at < 0 || code.indexOf(text, at + 1) >= 0) fail(`expected exactly one "${text}"`);
  return at;
}

/** `code` with `from` (found once) replaced by `to`, padded with line breaks to the lines `from` had. */
function replace(code, from, to) {
  const at = once(code, from);
  const lines = (text) => text.split('\n').length;
  if (lines(to) > lines(from)) fail(`the replacement of "${from.slice(0, 40)}" is longer than the original`);
  return code.slice(0, at) + to + '\n'.repeat(lines(from) - lines(to)) + code.slice(at + from.length);
}

export function rrwebRecordTrim() {
  let seen = false;
  return {
    name: 'lotse-rrweb-record-trim',
    transform(code, id) {
      if (!FILE.test(id)) return null;
      seen = true;
      const manager = code.slice(once(code, 'class CanvasManager {'), once(code, 'class StylesheetManager {'));
      for (const method of ['reset', 'freeze', 'unfreeze', 'lock', 'unlock']) {
        if (!manager.includes(`\n  ${method}() {`)) fail(`CanvasManager has no ${method}() any more`);
      }
      const rest = code.replace(manager, '');
      for (const [, method] of rest.matchAll(/canvasManager\.(\w+)\(/g)) {
        if (!STUB.includes(`  ${method}() {}`))
          fail(`rrweb calls canvasManager.${method}(), which the stub does not have`);
      }
      let out = replace(code, manager, STUB);
      out = replace(out, BLOB, 'const blob = false;');
      out = replace(out, FONTS, 'if (false) {');
      out = replace(out, STYLE_DIFF, 'old.style.cssText = m.oldValue;');
      return { code: out, map: null };
    },
    buildEnd(error) {
      if (!error && !seen) fail('@rrweb/record/dist/record.js was not part of the build');
    },
  };
}

const PEER_FILE = /[\\/]simple-peer-light[\\/]index\.js$/;

export function simplePeerWithoutDebug() {
  return {
    name: 'lotse-simple-peer-without-debug',
    transform(code, id) {
      if (!PEER_FILE.test(id)) return null;
      if (!code.includes('this._doDebug = opts.debug') || !code.includes('if (!this._doDebug) return')) {
        throw new Error(
          'simple-peer-without-debug: _debug no longer depends on opts.debug; has simple-peer-light changed?',
        );
      }
      const cuts = [];
      const visit = (node) => {
        if (Array.isArray(node)) return node.forEach(visit);
        if (node === null || typeof node !== 'object' || typeof node.type !== 'string') return;
        const call = node.type === 'ExpressionStatement' ? node.expression : undefined;
        const callee = call?.type === 'CallExpression' ? call.callee : undefined;
        if (
          callee?.type === 'MemberExpression' &&
          callee.object.type === 'ThisExpression' &&
          callee.property.name === '_debug'
        ) {
          cuts.push(node);
          return;
        }
        for (const [key, value] of Object.entries(node)) if (key !== 'type') visit(value);
      };
      visit(this.parse(code));
      if (cuts.length < 10)
        throw new Error(
          `simple-peer-without-debug: only ${cuts.length} _debug calls found; has simple-peer-light changed?`,
        );
      let out = code;
      for (const { start, end } of cuts.sort((a, b) => b.start - a.start)) {
        const text = out.slice(start, end);
        out = out.slice(0, start) + ';' + '\n'.repeat(text.split('\n').length - 1) + out.slice(end);
      }
      return { code: out, map: null };
    },
  };
}
