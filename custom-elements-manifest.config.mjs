// The custom-elements manifest (dist/custom-elements.json, `npm run build`): the analyzer reads the element sources,
// and these plugins make the manifest describe what the package ships:
// - module paths and references point at dist/lib/**/*.js (built by tsc before this runs; each must exist), not at
//   src/**/*.ts, which the package does not ship;
// - Lit's `static properties` entries with `state: true` are internal state, not attributes (the analyzer takes
//   every entry without `attribute: false` for one);
// - `export type { … }` leaves nothing in a JavaScript module, so it is no module export.
// Attribute types come from Lit properties and from `@attr {type} name`; each event's detail type from
// `@fires {CustomEvent<Detail>} name` (the detail types are declared in src/dom/events/, one event per file).
import { existsSync } from 'node:fs';
import { posix } from 'node:path';

/** `src/visitor/lotse-chat.ts` → `dist/lib/visitor/lotse-chat.js`, which must have been built. */
function shipped(source) {
  const match = /^\/?src\/(.+)\.ts$/.exec(source);
  if (match === null) throw new Error(`custom-elements manifest: "${source}" is not a module under src/`);
  const path = `dist/lib/${match[1]}.js`;
  if (!existsSync(path)) throw new Error(`custom-elements manifest: ${path} (from ${source}) is not in dist/lib`);
  return path;
}

/** Every `module` reference below `node`: relative ones resolved against `from` (a source path), then shipped. */
function mapReferences(node, from) {
  if (Array.isArray(node)) {
    for (const item of node) mapReferences(item, from);
  } else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'module' && typeof value === 'string') {
        const source = value.startsWith('.') ? posix.join(posix.dirname(from), value).replace(/\.js$/, '.ts') : value;
        node[key] = shipped(source);
      } else {
        mapReferences(value, from);
      }
    }
  }
}

/** What the analyze phase found per module, for the link phases: state properties by class, type-only exports. */
const found = new WeakMap();
const foundIn = (moduleDoc) => {
  if (!found.has(moduleDoc)) found.set(moduleDoc, { state: new Map(), typeOnly: new Set() });
  return found.get(moduleDoc);
};

/** Lit `static properties = { name: { state: true } }`: internal reactive state, never an attribute. */
function litStateIsNoAttribute() {
  return {
    name: 'lotse: lit state is no attribute',
    analyzePhase({ ts, node, moduleDoc }) {
      if (!ts.isClassDeclaration(node) || node.name === undefined) return;
      const names = new Set();
      for (const member of node.members) {
        const isStatic = ts.getModifiers?.(member)?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword);
        if (!isStatic || member.name?.getText() !== 'properties') continue;
        const object = ts.isPropertyDeclaration(member) ? member.initializer : undefined;
        if (object === undefined || !ts.isObjectLiteralExpression(object)) continue;
        for (const property of object.properties) {
          if (!ts.isPropertyAssignment(property) || !ts.isObjectLiteralExpression(property.initializer)) continue;
          const state = property.initializer.properties.some(
            (option) =>
              ts.isPropertyAssignment(option) &&
              option.name.getText() === 'state' &&
              option.initializer.kind === ts.SyntaxKind.TrueKeyword,
          );
          if (state) names.add(property.name.getText());
        }
      }
      if (names.size > 0) foundIn(moduleDoc).state.set(node.name.getText(), names);
    },
    moduleLinkPhase({ moduleDoc }) {
      for (const declaration of moduleDoc.declarations ?? []) {
        const names = found.get(moduleDoc)?.state.get(declaration.name);
        if (names === undefined) continue;
        declaration.attributes = declaration.attributes?.filter((attribute) => !names.has(attribute.fieldName));
        for (const member of declaration.members ?? []) if (names.has(member.name)) delete member.attribute;
      }
    },
  };
}

/** `export type { A } from './a.js'` and `export { type A }` export nothing at run time. */
function typeOnlyExportsLeave() {
  return {
    name: 'lotse: type-only exports leave',
    analyzePhase({ ts, node, moduleDoc }) {
      if (!ts.isExportDeclaration(node) || node.exportClause === undefined || !ts.isNamedExports(node.exportClause)) {
        return;
      }
      for (const specifier of node.exportClause.elements) {
        if (node.isTypeOnly || specifier.isTypeOnly) foundIn(moduleDoc).typeOnly.add(specifier.name.getText());
      }
    },
    moduleLinkPhase({ moduleDoc }) {
      const typeOnly = found.get(moduleDoc)?.typeOnly;
      if (typeOnly !== undefined) moduleDoc.exports = moduleDoc.exports?.filter((e) => !typeOnly.has(e.name));
    },
  };
}

/** Module paths and references point at the shipped dist/lib/**\/*.js. */
function shippedModules() {
  return {
    name: 'lotse: shipped modules',
    packageLinkPhase({ customElementsManifest }) {
      for (const moduleDoc of customElementsManifest.modules) {
        const source = moduleDoc.path;
        mapReferences(moduleDoc, source);
        moduleDoc.path = shipped(source);
      }
    },
  };
}

export default {
  globs: ['src/visitor/**/*.ts', 'src/advisor/**/*.ts'],
  outdir: 'dist',
  litelement: true,
  packagejson: false,
  plugins: [litStateIsNoAttribute(), typeOnlyExportsLeave(), shippedModules()],
};
