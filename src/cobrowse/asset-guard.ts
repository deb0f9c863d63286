/**
 * What the advisor's replay may fetch. The visitor's page names URLs in many ways (img src and srcset, CSS links,
 * url() in style text, inline styles and later style changes, object data, video posters, SVG images, frames,
 * fonts, adopted sheets, …), and rrweb's replayer would let the advisor's browser request every one of them: the
 * visitor's page (or anyone who can script it) would learn the advisor's address and when they look, and could
 * make the console request anything. So every event is cleaned before the replayer sees it: a URL is kept only
 * when it is absolute `http(s)` on one of the operator's asset origins (`cobrowse.assetOrigins`, which the console
 * learns from the server with `cobrowse.started`, never from the visitor), or a harmless `data:` image, font or
 * media URL, or (where it names a part of the document itself) a bare `#fragment`. Everything else is removed,
 * a link's `href` becomes `#`. Frames, objects and embeds never load anything; `srcdoc`, `ping`, `attributionsrc`
 * and `<meta http-equiv>` are dropped. CSS (style text, `_cssText`, inline styles, rules, declarations, adopted
 * sheets) is parsed by the browser itself in a detached constructable sheet (which fetches nothing and drops
 * `@import`), every declaration whose value names a URL off the list is removed (escapes decoded, `image-set()`
 * strings and custom properties included), and a rule that still names one is dropped. Relative URLs are refused:
 * in the replay they would resolve against the console's own address (or a `<base>` the page chose).
 *
 * This holds whatever the console's CSP is. Behind it, `replayPolicy()` is a CSP the viewer puts into each replay
 * document before anything is built there (it stays with the document through rrweb's `document.open()`), and the
 * console's own CSP (docs/advisor-console.md recommends one) is a third line.
 */

type Json = Record<string, unknown>;

const EVENT_FULL_SNAPSHOT = 2;
const EVENT_INCREMENTAL = 3;
const NODE_ELEMENT = 2;
const NODE_TEXT = 3;
const SOURCE_MUTATION = 0;
const SOURCE_STYLE_SHEET_RULE = 8;
const SOURCE_CANVAS_MUTATION = 9;
const SOURCE_FONT = 10;
const SOURCE_STYLE_DECLARATION = 13;
const SOURCE_ADOPTED_STYLE_SHEET = 15;

/** Attributes naming one URL the browser may fetch (or navigate to), on any element. */
const URL_ATTRIBUTES = new Set([
  'src',
  'href',
  'xlink:href',
  'poster',
  'data',
  'action',
  'formaction',
  'background',
  'codebase',
  'cite',
  'longdesc',
  'lowsrc',
  'dynsrc',
  'manifest',
  'icon',
  'profile',
  'classid',
  'rr_dataurl',
]);
/** Attributes with a list of image candidates. */
const SRCSET_ATTRIBUTES = new Set(['srcset', 'imagesrcset']);
/** Dropped whatever their value: a document in an attribute, pings, reporting, refresh and policies. */
const DROPPED_ATTRIBUTES = new Set(['srcdoc', 'ping', 'archive', 'rr_src', 'attributionsrc', 'http-equiv']);
/** Elements that would load a document of their own: they load nothing in the replay. */
const FRAMES = new Set(['iframe', 'frame', 'object', 'embed', 'portal', 'fencedframe', 'applet']);
/** SVG elements whose `href` loads what it names even when it is a bare fragment of the document's URL. */
const SVG_FETCHING = new Set(['image', 'feimage', 'script']);
/** `data:` URLs that cannot fetch anything further: images, fonts, audio and video. */
const SAFE_DATA =
  /^data:\s*(?:(?:image|font|audio|video)\/|application\/(?:font-|x-font-|vnd\.ms-fontobject|octet-stream))/i;
/** SVG as a `data:` document could load more, except where it is an image (img, srcset, CSS). */
const SVG_DATA = /^data:\s*image\/svg\+xml/i;

type Context = 'image' | 'css' | 'other';

/** CSS properties whose url() names a document (a filter, mask, clip path, marker or SVG paint), not an image. */
const REFERENCES = /^(?:-webkit-)?(?:filter|backdrop-filter|mask|clip-path|marker|fill|stroke)/i;

/** Whether a property's url() names a document; a property that is not known is taken as one. */
const isReference = (property: unknown): boolean => typeof property !== 'string' || REFERENCES.test(property.trim());

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The allow-list: exact origins, compared after the browser's own URL parsing. */
export class AssetPolicy {
  readonly origins: readonly string[];
  #origins: Set<string>;

  constructor(origins: readonly string[] = []) {
    this.#origins = new Set();
    for (const origin of origins) {
      try {
        const url = new URL(origin);
        if (url.protocol === 'https:' || url.protocol === 'http:') this.#origins.add(url.origin);
      } catch {
        // not an origin: never matches
      }
    }
    this.origins = [...this.#origins];
  }

  /** May the replay request `raw`? `fragment`: a bare `#id` names a part of the document here (no request). */
  allows(raw: string, context: Context, fragment = false): boolean {
    // Trimmed as the URL parser trims (C0 controls and space), not as trim() does: "\u00a0#x" is no fragment.
    const value = raw.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
    if (value.startsWith('#')) return fragment;
    let url: URL;
    try {
      url = new URL(value); // no base: a relative URL would resolve against the console, or a <base> of the page
    } catch {
      return false;
    }
    if (url.protocol === 'data:') return SAFE_DATA.test(value) && (context !== 'other' || !SVG_DATA.test(value));
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
    return this.#origins.has(url.origin);
  }
}

/**
 * The replay document's own CSP: loads only from the allow-list (and `data:` images, fonts, media), no frames,
 * objects, forms or base. A second line behind the guard, for whatever a browser might fetch that it missed. Not
 * for fonts the replayer makes with `new FontFace()` (they load in the console's context): the guard alone.
 */
export function replayPolicy(origins: readonly string[]): string {
  const list = new AssetPolicy(origins).origins.join(' ');
  const from = (extra: string) => [list, extra].filter((part) => part !== '').join(' ');
  return [
    "default-src 'none'",
    `img-src ${from('data:')}`,
    `style-src ${from("'unsafe-inline'")}`,
    `font-src ${from('data:')}`,
    `media-src ${from('data:')}`,
    "frame-src 'none'",
    "object-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/** `srcset` candidates as the HTML parser splits them: a URL, then descriptors up to a comma. */
function srcsetCandidates(value: string): { url: string; descriptors: string }[] {
  const candidates: { url: string; descriptors: string }[] = [];
  const space = /[\t\n\f\r ]/;
  let i = 0;
  while (i < value.length) {
    while (i < value.length && (space.test(value[i]!) || value[i] === ',')) i += 1;
    if (i >= value.length) break;
    let start = i;
    while (i < value.length && !space.test(value[i]!)) i += 1;
    let url = value.slice(start, i);
    let descriptors = '';
    if (url.endsWith(',')) {
      url = url.replace(/,+$/, '');
    } else {
      start = i;
      let depth = 0;
      while (i < value.length) {
        const c = value[i];
        if (c === '(') depth += 1;
        else if (c === ')') depth = Math.max(0, depth - 1);
        else if (c === ',' && depth === 0) break;
        i += 1;
      }
      descriptors = value.slice(start, i).trim();
      i += 1;
    }
    candidates.push({ url, descriptors });
  }
  return candidates;
}

const HEX = /[0-9a-fA-F]/;
const WHITESPACE = /[\t\n\f\r ]/;

/** Whether `text[i]` starts a valid escape: a backslash not followed by a newline. */
const isEscape = (text: string, i: number): boolean => text[i] === '\\' && text[i + 1] !== '\n';

/** One CSS escape at `text[i] === '\\'` (a valid one): the character it stands for and where the text goes on. */
function escapeAt(text: string, i: number): { char: string; next: number } {
  let j = i + 1;
  let hex = '';
  while (j < text.length && hex.length < 6 && HEX.test(text[j]!)) hex += text[j++];
  if (hex === '') return { char: text[j] ?? '\ufffd', next: j + 1 };
  if (j < text.length && WHITESPACE.test(text[j]!)) j += 1;
  const code = Number.parseInt(hex, 16);
  const char = code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : '\ufffd';
  return { char, next: j };
}

/**
 * A quoted string from `text[i]` (the quote), escapes decoded, as the CSS tokenizer reads it: an unescaped newline
 * ends it (a bad string) and is not part of it, so what follows the newline is CSS again.
 */
function stringAt(text: string, i: number): { value: string; next: number } {
  const quote = text[i];
  let value = '';
  let j = i + 1;
  while (j < text.length) {
    const c = text[j]!;
    if (c === quote) return { value, next: j + 1 };
    if (c === '\n') break; // a bad string: tokenizing goes on at the newline
    if (c !== '\\') {
      value += c;
      j += 1;
    } else if (j + 1 >= text.length) {
      j += 1;
    } else if (text[j + 1] === '\n') {
      j += 2; // an escaped newline: the string goes on
    } else {
      const escape = escapeAt(text, j);
      value += escape.char;
      j = escape.next;
    }
  }
  return { value, next: j };
}

/**
 * The URLs a piece of CSS names, read the way the CSS tokenizer reads them (comments, strings and escapes, so that
 * neither `\75 rl(` nor a comment or quote trick hides one): the argument of every url() and src(), and every
 * string of a text that uses image-set(). Undefined when it cannot be read safely.
 */
function cssUrls(source: string): string[] | undefined {
  // The tokenizer's preprocessing: every newline is "\n", NUL is U+FFFD.
  const text = source.replace(/\r\n?|\f/g, '\n').replace(/\u0000/g, '\ufffd');
  const urls: string[] = [];
  const strings: string[] = [];
  let imageSet = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else if (c === '"' || c === "'") {
      const string = stringAt(text, i);
      strings.push(string.value);
      i = string.next;
    } else if (/[\w-]/.test(c) || c.charCodeAt(0) > 0x7f || isEscape(text, i)) {
      // A name (escapes decoded); followed by "(" it is a function.
      let name = '';
      while (i < text.length && (/[\w-]/.test(text[i]!) || text.charCodeAt(i) > 0x7f || isEscape(text, i))) {
        if (text[i] === '\\') {
          const escape = escapeAt(text, i);
          name += escape.char;
          i = escape.next;
        } else {
          name += text[i++];
        }
      }
      if (text[i] !== '(') continue;
      i += 1;
      const fn = name.toLowerCase();
      if (fn.endsWith('image-set')) imageSet = true;
      if (fn !== 'url' && fn !== 'src') continue;
      while (i < text.length && WHITESPACE.test(text[i]!)) i += 1;
      if (text[i] === '"' || text[i] === "'") {
        const string = stringAt(text, i);
        urls.push(string.value);
        i = string.next;
      } else {
        let url = '';
        while (i < text.length && text[i] !== ')' && !WHITESPACE.test(text[i]!)) {
          // A quote, "(", a control or an invalid escape makes a bad url: not read here, the parser must clean it.
          if (/["'(\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text[i]!) || (text[i] === '\\' && !isEscape(text, i)))
            return undefined;
          if (text[i] === '\\') {
            const escape = escapeAt(text, i);
            url += escape.char;
            i = escape.next;
          } else {
            url += text[i++];
          }
        }
        while (i < text.length && WHITESPACE.test(text[i]!)) i += 1;
        if (i >= text.length || text[i] !== ')') return undefined; // at the end, or a bad url
        urls.push(url);
      }
    } else {
      i += 1;
    }
  }
  return imageSet ? [...urls, ...strings] : urls;
}

/**
 * Whether CSS text could name a URL at all: a url(), src(), image() or image-set() function (a function's name and
 * its "(" are one token: nothing can come between them but an escape), an @import, or an escape that could spell
 * one of these. Only text that cannot is kept as written; every other text goes through the browser's parser, so
 * that what is kept is what the browser read, not what a scanner of ours thought it would read.
 */
const mayNameUrl = (text: string): boolean => /(?:url|src|image|image-set)\(|@import|\\/i.test(text);

/** CSS cleaned by the browser's own parser, in a constructable sheet that is never applied (it fetches nothing). */
class CssGuard {
  #policy: () => AssetPolicy;
  #scratch: CSSStyleRule | undefined;

  constructor(policy: () => AssetPolicy) {
    this.#policy = policy;
  }

  /**
   * True when `text` names a URL the replay must not request. `reference`: a value that names a document (filter,
   * mask, clip-path, marker, SVG paint), where even a `data:` SVG would be a document of its own, not an image.
   */
  foreign(text: string, reference = false): boolean {
    if (!/url|src|image-set|\\/i.test(text)) return false;
    const urls = cssUrls(text);
    if (urls === undefined) return true;
    const policy = this.#policy();
    return urls.some((url) => !policy.allows(url, reference ? 'other' : 'css', true));
  }

  /** A style sheet's text, re-serialized by the browser without what names a foreign URL (and without @import). */
  sheet(text: string): string {
    if (!mayNameUrl(text)) return text;
    const sheet = new CSSStyleSheet();
    try {
      sheet.replaceSync(text); // @import is not allowed here: dropped
    } catch {
      return '';
    }
    const kept: string[] = [];
    for (const rule of Array.from(sheet.cssRules)) if (this.#rule(rule)) kept.push(rule.cssText);
    return kept.join('\n');
  }

  /** An inline style's declarations without those naming a foreign URL. */
  declarations(text: string): string {
    if (!mayNameUrl(text)) return text;
    const rule = this.#scratchRule();
    if (rule === undefined) return '';
    rule.style.cssText = text;
    this.#clean(rule.style);
    const cleaned = rule.style.cssText;
    rule.style.cssText = '';
    return this.foreign(cleaned) ? '' : cleaned;
  }

  #scratchRule(): CSSStyleRule | undefined {
    if (this.#scratch === undefined) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync('x {}');
      this.#scratch = sheet.cssRules[0] as CSSStyleRule | undefined;
    }
    return this.#scratch;
  }

  /** Cleans a rule in place; false when it must go altogether. */
  #rule(rule: CSSRule): boolean {
    const style = (rule as Partial<CSSStyleRule>).style;
    if (style !== undefined) this.#clean(style);
    const list = (rule as Partial<CSSGroupingRule>).cssRules;
    if (list !== undefined) {
      for (let i = list.length - 1; i >= 0; i -= 1) {
        const child = list[i];
        if (child === undefined || this.#rule(child)) continue;
        try {
          (rule as CSSGroupingRule).deleteRule(i);
        } catch {
          return false;
        }
      }
    }
    return !this.foreign(rule.cssText);
  }

  #clean(style: CSSStyleDeclaration): void {
    for (const name of Array.from(style)) {
      if (this.foreign(style.getPropertyValue(name), isReference(name))) style.removeProperty(name);
    }
  }
}

/**
 * Cleans rrweb events in place, for one replayer: it follows the page's elements (tag names, which text lies in a
 * `<style>`) from each full snapshot on, as the replayer does.
 */
export class AssetGuard {
  #policy: AssetPolicy;
  #css = new CssGuard(() => this.#policy);
  /** Element id → lower-case tag name. */
  #tags = new Map<number, string>();
  #svg = new Set<number>();
  /** Text nodes in a `<style>` (their text is CSS). */
  #styleTexts = new Set<number>();
  #texts = new Set<number>();

  constructor(origins: readonly string[] = []) {
    this.#policy = new AssetPolicy(origins);
  }

  get origins(): readonly string[] {
    return this.#policy.origins;
  }

  setOrigins(origins: readonly string[]): void {
    this.#policy = new AssetPolicy(origins);
  }

  /** Cleans one event in place; false when it must not reach the replayer at all. */
  event(event: Json): boolean {
    const data = event['data'];
    if (!isRecord(data)) return true;
    if (event['type'] === EVENT_FULL_SNAPSHOT) {
      this.#tags.clear();
      this.#svg.clear();
      this.#styleTexts.clear();
      this.#texts.clear();
      if (isRecord(data['node'])) {
        this.#register(data['node']);
        this.#node(data['node'], undefined);
      }
      return true;
    }
    if (event['type'] !== EVENT_INCREMENTAL) return true;
    switch (data['source']) {
      case SOURCE_MUTATION:
        this.#mutation(data);
        return true;
      case SOURCE_STYLE_SHEET_RULE:
        this.#sheetRules(data);
        return true;
      case SOURCE_STYLE_DECLARATION: {
        const set = data['set'];
        if (
          isRecord(set) &&
          typeof set['value'] === 'string' &&
          this.#css.foreign(set['value'], isReference(set['property']))
        ) {
          set['value'] = '';
        }
        return true;
      }
      case SOURCE_ADOPTED_STYLE_SHEET:
        for (const style of Array.isArray(data['styles']) ? data['styles'] : []) {
          if (isRecord(style) && Array.isArray(style['rules'])) style['rules'] = this.#rules(style['rules']);
        }
        return true;
      case SOURCE_FONT:
        // A font from bytes loads nothing; one from a URL only from the list.
        return (
          data['buffer'] === true || (typeof data['fontSource'] === 'string' && !this.#css.foreign(data['fontSource']))
        );
      case SOURCE_CANVAS_MUTATION:
        return false; // never replayed here (no UNSAFE_replayCanvas); an image drawn could name any URL
      default:
        return true;
    }
  }

  /** Notes the tag of every element (and which text is CSS) before any attribute is judged. */
  #register(node: Json, parentTag?: string): void {
    const id = typeof node['id'] === 'number' ? node['id'] : undefined;
    let tag = parentTag;
    if (node['type'] === NODE_ELEMENT && typeof node['tagName'] === 'string') {
      tag = node['tagName'].toLowerCase();
      if (id !== undefined) {
        this.#tags.set(id, tag);
        if (node['isSVG'] === true) this.#svg.add(id);
      }
    } else if (node['type'] === NODE_TEXT && id !== undefined) {
      this.#texts.add(id);
      if (parentTag === 'style') this.#styleTexts.add(id);
      else this.#styleTexts.delete(id);
    } else {
      tag = undefined;
    }
    const children = node['childNodes'];
    if (Array.isArray(children)) for (const child of children) if (isRecord(child)) this.#register(child, tag);
  }

  #node(node: Json, parentTag: string | undefined): void {
    let tag: string | undefined;
    if (node['type'] === NODE_ELEMENT && typeof node['tagName'] === 'string') {
      tag = node['tagName'].toLowerCase();
      if (isRecord(node['attributes'])) this.#attributes(node['attributes'], tag, node['isSVG'] === true);
    } else if (node['type'] === NODE_TEXT && parentTag === 'style' && typeof node['textContent'] === 'string') {
      node['textContent'] = this.#css.sheet(node['textContent']);
    }
    const children = node['childNodes'];
    if (Array.isArray(children)) for (const child of children) if (isRecord(child)) this.#node(child, tag);
  }

  /** `tag` undefined: an element this guard does not know, judged as the worst case (a frame, an SVG image). */
  #attributes(attributes: Json, tag: string | undefined, svg: boolean): void {
    const unknown = tag === undefined;
    if (unknown) svg = true;
    // Without its http-equiv, a meta's content is inert; with it gone too, the refresh target is not even shown.
    if ((unknown || tag === 'meta') && 'http-equiv' in attributes) attributes['content'] = null;
    for (const name of Object.keys(attributes)) {
      const value = attributes[name];
      const key = name.toLowerCase();
      if (DROPPED_ATTRIBUTES.has(key)) {
        attributes[name] = null;
      } else if (key === 'style') {
        if (typeof value === 'string') attributes[name] = this.#css.declarations(value);
        else if (isRecord(value)) this.#styleObject(value);
      } else if (typeof value !== 'string') {
        continue;
      } else if (key === '_csstext') {
        attributes[name] = this.#css.sheet(value);
      } else if (SRCSET_ATTRIBUTES.has(key)) {
        const kept = srcsetCandidates(value)
          .filter((candidate) => this.#policy.allows(candidate.url, 'image'))
          .map((candidate) => `${candidate.url} ${candidate.descriptors}`.trim());
        attributes[name] = kept.length === 0 ? null : kept.join(', ');
      } else if ((unknown || FRAMES.has(tag)) && (key === 'src' || key === 'data')) {
        attributes[name] = null;
      } else if (URL_ATTRIBUTES.has(key) || key.endsWith(':href')) {
        const link = tag === 'a' || tag === 'area';
        const fragment =
          !unknown && (key === 'href' || key === 'xlink:href') && (link || (svg && !SVG_FETCHING.has(tag)));
        const context: Context =
          !unknown && ((tag === 'img' && key === 'src') || key === 'rr_dataurl') ? 'image' : 'other';
        if (!this.#policy.allows(value, context, fragment)) attributes[name] = link && key === 'href' ? '#' : null;
      } else if (svg && this.#css.foreign(value, true)) {
        attributes[name] = null; // SVG presentation attributes take url() (fill, filter, mask, clip-path, markers)
      }
    }
  }

  /** rrweb's style change as an object: property → value, [value, priority], or false (removed). */
  #styleObject(style: Json): void {
    for (const [property, value] of Object.entries(style)) {
      const text: unknown = Array.isArray(value) ? value[0] : value;
      if (typeof text === 'string' && this.#css.foreign(text, isReference(property))) style[property] = false;
    }
  }

  #mutation(data: Json): void {
    const adds = Array.isArray(data['adds']) ? data['adds'].filter(isRecord) : [];
    // First every new element, so that a node added under another new one knows its parent's tag.
    for (const add of adds) {
      if (isRecord(add['node'])) this.#register(add['node'], this.#tags.get(add['parentId'] as number));
    }
    for (const add of adds) {
      if (isRecord(add['node'])) this.#node(add['node'], this.#tags.get(add['parentId'] as number));
    }
    if (Array.isArray(data['texts'])) {
      data['texts'] = data['texts'].filter((text: unknown) => {
        if (!isRecord(text) || typeof text['id'] !== 'number') return false;
        const id = text['id'];
        // The replayer sets textContent on whatever node the id names: a <style> element takes CSS, too.
        if (this.#styleTexts.has(id) || this.#tags.get(id) === 'style') {
          if (typeof text['value'] === 'string') text['value'] = this.#css.sheet(text['value']);
          return true;
        }
        return this.#texts.has(id) || this.#tags.has(id);
      });
    }
    for (const change of Array.isArray(data['attributes']) ? data['attributes'] : []) {
      if (!isRecord(change) || !isRecord(change['attributes'])) continue;
      const id = change['id'] as number;
      this.#attributes(change['attributes'], this.#tags.get(id), this.#svg.has(id));
    }
  }

  #sheetRules(data: Json): void {
    if (Array.isArray(data['adds'])) {
      data['adds'] = data['adds'].filter((add: unknown) => {
        if (!isRecord(add) || typeof add['rule'] !== 'string') return false;
        add['rule'] = this.#css.sheet(add['rule']);
        return add['rule'] !== '';
      });
    }
    for (const key of ['replace', 'replaceSync']) {
      if (typeof data[key] === 'string') data[key] = this.#css.sheet(data[key]);
    }
  }

  #rules(rules: unknown[]): unknown[] {
    return rules.filter((rule) => {
      if (!isRecord(rule) || typeof rule['rule'] !== 'string') return false;
      rule['rule'] = this.#css.sheet(rule['rule']);
      return rule['rule'] !== '';
    });
  }
}
