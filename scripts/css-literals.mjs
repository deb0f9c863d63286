// Rollup plugin: the visitor's stylesheets (`src/visitor/*styles.ts`, readable CSS in template literals) lose their
// line breaks, indentation, comments and the spaces around `{ } ; : , >` in the bundle. Every byte of the launcher's
// styles is paid on every page view of an insurer's site. Only the literal text between `${…}` changes, never an
// expression. These modules are nothing but their stylesheets, so the source map (`map: null`) is off only inside
// the CSS text, whose lines it never named usefully.
const FILE = /[\\/]src[\\/]visitor[\\/][\w-]*styles\.ts$/;

/** CSS, shorter and the same to a browser. */
function minifyLine(line) {
  return line
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,>])\s*/g, '$1')
    .replace(/:\s+/g, ':')
    .replace(/;}/g, '}')
    .trim();
}

export function minifyCss(css) {
  return minifyLine(css.replace(/\/\*[\s\S]*?\*\//g, ' '));
}

export function minifyCssLiterals() {
  return {
    name: 'lotse-minify-css-literals',
    transform(code, id) {
      if (!FILE.test(id)) return null;
      // Template literals of these modules hold CSS only; `${name}` parts are kept as they are.
      const out = code.replace(
        /`([^`]*)`/g,
        (_literal, body) =>
          '`' +
          body
            .split(/(\$\{[^}]*\})/)
            .map((part) => (part.startsWith('${') ? part : minifyCss(part)))
            .join('') +
          '`',
      );
      return { code: out, map: null };
    },
  };
}
