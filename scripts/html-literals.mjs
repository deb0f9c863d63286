// Rollup plugin: the visitor's Lit templates (`html`…`` in `src/visitor/*.ts`) lose the indentation of their lines
// in the bundle. Lit ships a template's text as written, and the indentation of readable markup was some 130 bytes
// (gzip) of the chat pop-up and 50 of the co-browse view. Only the spaces and tabs after a line break go, never
// the line break itself: the whitespace stays whitespace with the same line breaks (the same to the browser, also
// where `white-space: pre-line` keeps line breaks), and every line stays where it was, so that the source map holds
// (`map: null`). Runs after esbuild (on JavaScript, parsed by Rollup), on the templates found in the syntax tree.
const FILE = /[\\/]src[\\/]visitor[\\/][\w-]+\.ts$/;

/** Where the literal text of each `html` template is (between `` ` ``, `${`, `}`), in `code`. */
function templateTexts(program) {
  const found = [];
  const visit = (node) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object' || typeof node.type !== 'string') return;
    if (node.type === 'TaggedTemplateExpression' && node.tag.type === 'Identifier' && node.tag.name === 'html') {
      for (const quasi of node.quasi.quasis) found.push(quasi);
    }
    for (const [key, value] of Object.entries(node)) if (key !== 'type') visit(value);
  };
  visit(program);
  return found;
}

export function unindentHtmlLiterals() {
  return {
    name: 'lotse-unindent-html-literals',
    transform(code, id) {
      if (!FILE.test(id) || !code.includes('html`')) return null;
      let out = code;
      for (const { start, end } of templateTexts(this.parse(code)).sort((a, b) => b.start - a.start)) {
        out = out.slice(0, start) + out.slice(start, end).replace(/\n[ \t]+/g, '\n') + out.slice(end);
      }
      return out === code ? null : { code: out, map: null };
    },
  };
}
