// A Rollup plugin that takes out of @rrweb/record (the visitor's bundle) code that can never run in Lotse, and
// changes one line that breaks the insurer's CSP; and `textEdits`, the checked edits it is made of, which
// `peer-trims.mjs` uses too (simple-peer-light, both bundles). Each edit checks that the code looks as expected
// and fails the build when it does not: after an update of the dependency, look again rather than loosen the
// check. Every edit keeps the other lines where they were, so that the dependency's source map still holds
// (`map: null`).
//
// Lotse records no canvas contents and collects no fonts (`recordCanvas: false`, `collectFonts: false`: privacy
// defaults of src/cobrowse/record.ts that a host page cannot switch on). Yet rrweb's bundle carries its canvas
// recorder, `CanvasManager` with its 2D and WebGL hooks and the source of a snapshot worker that it puts into a
// Blob as the module loads, and its font observer: some 3 KB (gzip) of the visitor's co-browse code that never
// runs. Here `CanvasManager` becomes a stub that refuses canvas recording outright, the worker's Blob is not made,
// and the font observer is never called; tree-shaking drops the rest, as nothing else uses it. Each of these
// pieces must be found exactly once.
//
// Likewise for what else record.ts never asks for, some 2.5 KB (gzip) more:
// - frames: record.ts blocks every iframe and drops anything of a frame's document that rrweb sends, yet rrweb
//   still serializes a same-origin frame's document once it loads, observes it, and carries the machinery for
//   cross-origin frames (`recordCrossOriginIframes`, their mirrors and messages). Here no frame's document is
//   read at all: `IframeManager` becomes a stub that refuses cross-origin frames, and the frame branch of the
//   serializer is gone (record.ts still drops frame content, for a build without this plugin);
// - the pixels of a canvas and inlined images (`recordCanvas`, `inlineImages`: both off in record.ts);
// - `hooks` and `plugins` (refused when given), `record.addCustomEvent`, `record.freezePage`, the warning proxy of
//   the deprecated `mirror` export, and the `forEach` polyfill for browsers older than 2017.
// And two ways in which rrweb's build minifies badly: its TypeScript enums (objects built both ways at load time,
// and read as `EventType.FullSnapshot` everywhere) become their numbers, and its lowered class fields
// (`__publicField(this, "name", value)`) become assignments.
//
// It also makes rrweb keep a strict CSP (`style-src 'self'`, no 'unsafe-inline'), which Lotse promises the
// insurer's page. To send only what changed in a `style` attribute, rrweb parses the attribute's old value by
// writing it with `setAttribute("style", …)` onto a span of a detached document; a browser checks that write
// against the page's CSP all the same (style-src-attr) and reports a violation for every style change on the page
// while co-browsing. The span gets the old value through the CSSOM (`style.cssText = …`) instead, which a CSP does
// not govern and which parses it the same way (rrweb-io/rrweb#816; posthog-js#3909 made the same change).
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

/** What `record()` and its mutation buffers call on the iframe manager; the stub has each of them, doing nothing. */
const IFRAME_STUB = `class IframeManager {
  constructor(options) {
    if (options.recordCrossOriginIframes) throw new Error("LOTSE_ERR_INVALID_OPTION: this build of rrweb records no frames");
  }
  addIframe() {}
  addLoadListener() {}
  attachIframe() {}
}
`;
/** Serializing a frame's document once it has loaded (for `onIframeLoad`, i.e. `attachIframe`). */
const IFRAME_DOCUMENT = 'if (serializedNode.type === NodeType.Element && serializedNode.tagName === "iframe") {';
const CROSS_ORIGIN = 'const inEmittingFrame = recordCrossOriginIframes ? window.parent === window : true;';
const CANVAS_PIXELS = 'if (tagName === "canvas" && recordCanvas) {';
const INLINE_IMAGES = 'if (tagName === "img" && inlineImages) {';
/** The deprecated `mirror` export's warning proxy, made as the module loads; nothing imports it. */
const DEPARTED_MIRROR = 'if (typeof window !== "undefined" && window.Proxy && window.Reflect) {';
/** Plugins: none (a plugin handed to `record()` is refused), so none of the loops over them. */
const PLUGIN_GUARD = [
  '  registerErrorHandler(errorHandler2);',
  '  if (plugins) throw new Error("LOTSE_ERR_INVALID_OPTION: this build of rrweb takes no plugins"); registerErrorHandler(errorHandler2);',
];
const PLUGIN_EVENTS = `    for (const plugin of plugins || []) {
      if (plugin.eventProcessor) {
        e = plugin.eventProcessor(e);
      }
    }
`;
/** Old browsers' `forEach` on `NodeList` and `DOMTokenList`, patched onto the page's prototypes. */
const POLYFILL = '  polyfill();\n';
const HOOKS_STUB = `function mergeHooks(o, hooks) {
  if (Object.keys(hooks).length > 0) throw new Error("LOTSE_ERR_INVALID_OPTION: this build of rrweb takes no hooks");
}
`;

/**
 * Checked text edits on one dependency's code: each text must be found exactly once, and a replacement keeps the
 * lines of what it replaces (padded with line breaks), so that the dependency's source map still holds.
 * `fail` throws with the plugin's name and the question to ask after an update of the dependency.
 */
export function textEdits(name, dependency) {
  const fail = (message) => {
    throw new Error(`${name}: ${message}; has ${dependency} changed?`);
  };
  const once = (code, text) => {
    const at = code.indexOf(text);
    if (at < 0 || code.indexOf(text, at + 1) >= 0) fail(`expected exactly one "${text}"`);
    return at;
  };
  /** The text from `start` (found once) up to `end` (found once, after it). */
  const section = (code, start, end) => {
    const from = once(code, start);
    const to = once(code, end);
    if (to < from) fail(`"${end}" no longer follows "${start}"`);
    return code.slice(from, to);
  };
  /** `code` with `from` (found once) replaced by `to`, padded with line breaks to the lines `from` had. */
  const replace = (code, from, to) => {
    const at = once(code, from);
    const lines = (text) => text.split('\n').length;
    if (lines(to) > lines(from)) fail(`the replacement of "${from.slice(0, 40)}" is longer than the original`);
    return code.slice(0, at) + to + '\n'.repeat(lines(from) - lines(to)) + code.slice(at + from.length);
  };
  return { fail, once, section, replace };
}

const { fail, section, replace } = textEdits('rrweb-record-trim', '@rrweb/record');

/**
 * rrweb's TypeScript enums, each an object built at load time with its names and numbers both ways, read as
 * `EventType.FullSnapshot` all over the code: a minifier keeps every such read. Here each read becomes its
 * number, and the object goes, or (where the code also looks a member up by name, `MouseInteractions[key]`)
 * becomes a plain object of names to numbers. Every read must name a member.
 */
const ENUM =
  /^var (\w+) = \/\* @__PURE__ \*\/ \(\((\w+)\) => \{\n((?: {2}\2\[\2\["\w+"\] = \d+\] = "\w+";\n)+) {2}return \2;\n\}\)\(\1 \|\| \{\}\);\n/gm;
const MEMBER = /\[\w+\["(\w+)"\] = (\d+)\] = "\1";/g;

function inlineEnums(code) {
  let out = code;
  let found = 0;
  for (const [definition, name, , body] of code.matchAll(ENUM)) {
    found += 1;
    const members = new Map([...body.matchAll(MEMBER)].map(([, member, value]) => [member, value]));
    if (members.size !== body.split('\n').length - 1) fail(`enum ${name} has a member of another shape`);
    const read = new RegExp(`(?<![\\w$.])${name}\\.(\\w+)\\b`, 'g');
    const number = (_, member) => members.get(member) ?? fail(`${name}.${member} is no member`);
    const inlined = replace(out, definition, '').replace(read, number);
    if (!new RegExp(`(?<![\\w$.])${name}\\b`).test(inlined)) {
      out = inlined;
      continue;
    }
    // Also looked up by name: a plain object of names to numbers stays.
    const plain = [...members].map(([member, value]) => `${JSON.stringify(member)}: ${value}`).join(', ');
    out = replace(out, definition, `var ${name} = { ${plain} };\n`).replace(read, number);
  }
  if (found < 5) fail(`only ${found} enums found`);
  return out;
}

/**
 * rrweb's class fields, lowered by its build to `__publicField(this, "name", value);` statements (a define, for a
 * target without class fields): plain assignments instead, `this.name = value;`, found in the syntax tree, which
 * minify to less and do the same on these classes, as none of them extends another or has an accessor of a
 * field's name.
 */
function assignFields(code, ast) {
  if (/^class \w+ extends /m.test(code)) fail('a class extends another: its fields may shadow accessors');
  const edits = [];
  const visit = (node) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object' || typeof node.type !== 'string') return;
    const call = node.type === 'ExpressionStatement' ? node.expression : undefined;
    if (call?.type === 'CallExpression' && call.callee.type === 'Identifier' && call.callee.name === '__publicField') {
      const [self, key, value] = call.arguments;
      if (self?.type !== 'ThisExpression' || key?.type !== 'Literal' || typeof key.value !== 'string')
        fail('a field is defined otherwise');
      if (new RegExp(`^ {2}(get|set) ${key.value}\\(`, 'm').test(code))
        fail(`an accessor ${key.value} is also a field`);
      const text = value === undefined ? 'void 0' : code.slice(value.start, value.end);
      edits.push({ start: node.start, end: node.end, text: `this.${key.value} = ${text};` });
      return;
    }
    for (const [key, value] of Object.entries(node)) if (key !== 'type') visit(value);
  };
  visit(ast);
  let out = code;
  for (const { start, end, text } of edits.sort((a, b) => b.start - a.start)) {
    const lines = out.slice(start, end).split('\n').length - text.split('\n').length;
    out = out.slice(0, start) + text + '\n'.repeat(lines) + out.slice(end);
  }
  if (/__publicField\(/.test(out.replace(/^var __publicField = .*$/m, ''))) fail('a field is defined otherwise');
  return out;
}

export function rrwebRecordTrim() {
  let seen = false;
  return {
    name: 'lotse-rrweb-record-trim',
    transform(code, id) {
      if (!FILE.test(id)) return null;
      seen = true;
      const manager = section(code, 'class CanvasManager {', 'class StylesheetManager {');
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
      const frames = section(out, 'class IframeManager {', 'class ShadowDomManager {');
      for (const method of ['addIframe', 'addLoadListener', 'attachIframe']) {
        if (!frames.includes(`\n  ${method}(`)) fail(`IframeManager has no ${method}() any more`);
      }
      for (const [, method] of out.replace(frames, '').matchAll(/iframeManager\.(\w+)\b/g)) {
        if (!IFRAME_STUB.includes(`  ${method}() {}`) && !/^crossOriginIframe(Style)?Mirror$/.test(method))
          fail(`rrweb uses iframeManager.${method}, which the stub does not have`);
      }
      out = replace(out, frames, IFRAME_STUB);
      out = replace(out, IFRAME_DOCUMENT, 'if (false) {');
      out = replace(out, CROSS_ORIGIN, 'const inEmittingFrame = true;');
      out = replace(out, CANVAS_PIXELS, 'if (false) {');
      out = replace(out, INLINE_IMAGES, 'if (false) {');
      out = replace(out, DEPARTED_MIRROR, 'if (false) {');
      out = replace(out, section(out, 'function mergeHooks(o, hooks) {', 'function initObservers('), HOOKS_STUB);
      out = replace(out, PLUGIN_GUARD[0], PLUGIN_GUARD[1]);
      out = replace(out, PLUGIN_EVENTS, '');
      out = replace(
        out,
        section(out, '  for (const plugin of plugins || []) {', '  const processedNodeManager = '),
        '',
      );
      out = replace(
        out,
        section(out, 'plugins: ((_a2 = plugins == null', '\n        },\n        hooks\n'),
        'plugins: []',
      );
      const recordFunction = section(out, 'function record(options = {}) {', 'record.addCustomEvent = ');
      if (/\bplugins?\.|plugins \|\||plugins == null/.test(recordFunction)) fail('record() uses plugins elsewhere');
      // `record.addCustomEvent` and `record.freezePage`: Lotse calls neither.
      out = replace(out, section(out, 'record.addCustomEvent = ', 'record.takeFullSnapshot = '), '');
      out = replace(out, POLYFILL, '');
      out = inlineEnums(out);
      out = assignFields(out, this.parse(out));
      return { code: out, map: null };
    },
    buildEnd(error) {
      if (!error && !seen) fail('@rrweb/record/dist/record.js was not part of the build');
    },
  };
}
