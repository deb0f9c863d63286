/**
 * The replay fetches nothing the visitor's page chose outside the allow-list (issue 12, item 11). A recorded page
 * names a foreign origin in every way it can (img src and srcset, CSS links, @import, @font-face, url() in style
 * text, inline styles and style objects, object, embed, video poster and src, SVG image and use, frames, srcdoc,
 * base, meta refresh, preload and prefetch, a CSS escape, image-set(), a custom property, a stylesheet rule, a
 * declaration, an adopted sheet, a font event) and one image from an allowed origin. Two loopback servers
 * (`scripts/asset-hits.mjs`) count what reaches them. This page has no CSP: the view must hold on its own.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { AssetGuard } from '../../src/cobrowse/asset-guard.js';
import { LiveViewer } from '../../src/cobrowse/replay.js';
import { assetPage } from './rrweb-events.js';

interface Hits {
  origins: { foreign: string; allowed: string };
  hits: { foreign: string[]; allowed: string[] };
}

async function hits(): Promise<Hits> {
  const response = await fetch('/__asset-hits', { cache: 'no-store' });
  return (await response.json()) as Hits;
}

/** Two frames and a little more: what the browser was going to request has been requested by then. */
async function settle(ms = 500): Promise<void> {
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  await new Promise((resolve) => setTimeout(resolve, ms));
}

describe('LiveViewer: no request outside the allow-list', () => {
  let viewer: LiveViewer | undefined;
  afterEach(() => viewer?.destroy());

  it('requests 0 foreign URLs from a page naming them every way; the allowed image still loads', async function () {
    this.timeout(20_000);
    const before = await hits();
    const { foreign, allowed } = before.origins;
    expect(document.querySelector('meta[http-equiv="Content-Security-Policy" i]'), 'the test page has no CSP').to.equal(
      null,
    );
    const root = await fixture<HTMLElement>(html`<div style="width: 800px"></div>`);
    viewer = new LiveViewer(root, { assetOrigins: [allowed] });
    const page = assetPage(Date.now() - 20, foreign, allowed);
    viewer.addEvents(page.snapshot);
    const doc = () => viewer!.iframe?.contentDocument ?? undefined;
    await waitUntil(
      () => doc()?.getElementById('allowed') !== null && doc()?.getElementById('allowed') !== undefined,
      'snapshot not shown',
    );
    viewer.addEvents(page.changes);
    await waitUntil(() => doc()?.getElementById('allowed-added') !== null, 'changes not applied');
    // The allowed images load (the allow-list is no blanket ban).
    await waitUntil(
      () => (doc()!.getElementById('allowed') as HTMLImageElement).naturalWidth === 1,
      'allowed image not loaded',
    );
    await waitUntil(
      () => (doc()!.getElementById('allowed-added') as HTMLImageElement).naturalWidth === 1,
      'allowed image of a change not loaded',
    );
    await settle();
    // Fonts load on use: let the replay's font set finish what it started (bounded: Firefox may never settle it).
    await Promise.race([doc()!.fonts.ready, settle(2000)]);
    await settle();

    const after = await hits();
    const foreignHits = after.hits.foreign.slice(before.hits.foreign.length);
    const allowedHits = after.hits.allowed.slice(before.hits.allowed.length);
    console.log(
      `replay-assets: foreign requests ${foreignHits.length} ${JSON.stringify(foreignHits)}; allowed ${allowedHits.length}`,
    );
    expect(allowedHits).to.include.members(['/allowed.png', '/allowed-added.png']);
    expect(foreignHits).to.deep.equal([]);

    // Nothing of the foreign origin is left in the replayed document, its sheets or its fonts, to be fetched later.
    const d = doc()!;
    expect(d.documentElement.outerHTML).not.to.contain(foreign);
    const sheets = [...d.styleSheets, ...d.adoptedStyleSheets];
    const cssText = sheets.map((sheet) => [...sheet.cssRules].map((rule) => rule.cssText).join('\n')).join('\n');
    expect(cssText).not.to.contain(foreign);
    expect(cssText).not.to.contain('url(');
    expect([...d.fonts].map((font) => font.family)).not.to.include('Geladen');
    // The view stays a script-less sandbox.
    expect(viewer.iframe?.getAttribute('sandbox')).to.equal('allow-same-origin');
  });

  it('the replay document has a CSP of its own from the allow-list: what bypassed the guard is blocked too', async () => {
    const before = await hits();
    const { foreign, allowed } = before.origins;
    const root = await fixture<HTMLElement>(html`<div style="width: 800px"></div>`);
    viewer = new LiveViewer(root, { assetOrigins: [allowed] });
    viewer.addEvents(assetPage(Date.now() - 20, foreign, allowed).snapshot);
    await waitUntil(() => viewer!.iframe?.contentDocument?.getElementById('allowed') != null, 'snapshot not shown');
    // Straight into the replayed document, past the guard (as a gap in it would be).
    const doc = viewer.iframe!.contentDocument!;
    const image = (src: string) => Object.assign(doc.createElement('img'), { src });
    const blocked = image(`${foreign}/past-the-guard.png`);
    const passed = image(`${allowed}/past-the-guard.png`);
    const css = Object.assign(doc.createElement('link'), { rel: 'stylesheet', href: `${foreign}/past-the-guard.css` });
    doc.body.append(blocked, passed, css);
    await waitUntil(() => passed.naturalWidth === 1, 'allowed image not loaded');
    await settle();
    const after = await hits();
    expect(after.hits.foreign.slice(before.hits.foreign.length)).to.deep.equal([]);
    expect(after.hits.allowed.slice(before.hits.allowed.length)).to.include('/past-the-guard.png');
  });

  it('without an allow-list, nothing remote loads at all', async () => {
    const before = await hits();
    const { foreign, allowed } = before.origins;
    const root = await fixture<HTMLElement>(html`<div style="width: 800px"></div>`);
    viewer = new LiveViewer(root);
    const page = assetPage(Date.now() - 20, foreign, allowed);
    viewer.addEvents(page.snapshot);
    viewer.addEvents(page.changes);
    const doc = () => viewer!.iframe?.contentDocument ?? undefined;
    await waitUntil(
      () => doc()?.getElementById('allowed-added') !== null && doc()?.getElementById('allowed-added') !== undefined,
      'changes not applied',
    );
    await settle();
    const after = await hits();
    expect(after.hits.foreign.slice(before.hits.foreign.length)).to.deep.equal([]);
    expect(after.hits.allowed.slice(before.hits.allowed.length)).to.deep.equal([]);
    expect(doc()!.getElementById('allowed')!.hasAttribute('src')).to.equal(false);
  });
});

describe('AssetGuard: the rules, one by one', () => {
  const allowed = 'https://www.kasse.example';
  const foreign = 'https://tracker.example';

  function attributes(tagName: string, attrs: Record<string, string>, isSVG = false): Record<string, unknown> {
    const node = { type: 2, id: 3, tagName, attributes: { ...attrs }, childNodes: [], ...(isSVG ? { isSVG } : {}) };
    new AssetGuard([allowed]).event({ type: 2, timestamp: 0, data: { node: { type: 0, id: 1, childNodes: [node] } } });
    return node.attributes;
  }

  it('keeps allowed, data: image and fragment URLs; refuses relative, protocol-relative and other schemes', () => {
    expect(attributes('img', { src: `${allowed}/a.png` }).src).to.equal(`${allowed}/a.png`);
    expect(attributes('img', { src: 'data:image/png;base64,AAAA' }).src).to.equal('data:image/png;base64,AAAA');
    for (const src of [
      'a.png',
      '/a.png',
      `//tracker.example/a.png`,
      `${foreign}/a.png`,
      'blob:x',
      'javascript:x',
      '#x',
      '',
    ]) {
      expect(attributes('img', { src }).src, src).to.equal(null);
    }
    // https: without slashes is still absolute to the browser: its origin decides.
    expect(attributes('img', { src: 'https:tracker.example/a.png' }).src).to.equal(null);
    expect(attributes('img', { src: ` ${allowed.toUpperCase()}/a.png ` }).src).to.equal(
      ` ${allowed.toUpperCase()}/a.png `,
    );
    expect(attributes('a', { href: `${foreign}/x` }).href).to.equal('#');
    expect(attributes('a', { href: '#oben' }).href).to.equal('#oben');
    expect(attributes('use', { href: '#icon' }, true).href).to.equal('#icon');
    expect(attributes('image', { href: '#icon' }, true).href).to.equal(null);
    expect(attributes('object', { data: 'data:image/svg+xml,<svg/>' }).data).to.equal(null);
    expect(attributes('iframe', { src: `${allowed}/seite` }).src).to.equal(null);
    expect(attributes('rect', { fill: `url(${foreign}/f.svg#g)`, filter: 'url(#lokal)' }, true)).to.deep.equal({
      fill: null,
      filter: 'url(#lokal)',
    });
    expect(attributes('use', { 'xl:href': `${foreign}/s.svg#a` }, true)['xl:href']).to.equal(null);
    expect(attributes('meta', { 'http-equiv': 'refresh', content: '0' })).to.deep.equal({
      'http-equiv': null,
      content: null,
    });
  });

  it('keeps only the allowed candidates of a srcset', () => {
    expect(
      attributes('img', { srcset: `${foreign}/a.png 1x, ${allowed}/b.png 2x,${foreign}/c,d.png 3x` }).srcset,
    ).to.equal(`${allowed}/b.png 2x`);
    expect(attributes('img', { srcset: `${foreign}/a.png 1x` }).srcset).to.equal(null);
  });

  it('cleans CSS: declarations, escapes, image-set, custom properties, @import, keeping the rest as it was', () => {
    const style = (text: string) => attributes('div', { style: text }).style;
    // The shorthand's other parts stay (as `initial`): only the image goes.
    expect(style('color: red; background: url(a.png)'))
      .to.match(/^color: red; background-/)
      .and.not.to.contain('url(');
    // Text that names a URL is kept as the browser's parser read it (and serializes it), allowed URLs included.
    expect(style(`color: red; background-image: url("${allowed}/a.png")`)).to.equal(
      `color: red; background-image: url("${allowed}/a.png");`,
    );
    expect(style(`--x: \\75 rl(${foreign}/a.png); color: red`)).to.equal('color: red;');
    expect(style(`background-image: -webkit-image-set("${foreign}/a.png" 1x)`)).to.equal('');
    // An SVG as a data: image is fine; as a filter or mask it would be a document of its own.
    const svg = 'url("data:image/svg+xml,%3Csvg xmlns=\'http://www.w3.org/2000/svg\'/%3E")';
    expect(style(`background-image: ${svg}`)).to.contain('data:image/svg+xml');
    expect(style(`filter: ${svg}; color: red`)).to.equal('color: red;');
    const sheet = (text: string) => attributes('link', { _cssText: text })._cssText as string;
    expect(sheet(`@\\69mport "${foreign}/a.css"; p { color: red; }`)).to.equal('p { color: red; }');
    expect(sheet(`@media print { p { list-style-image: url(${foreign}/a.png); color: red; } }`)).to.equal(
      '@media print {\n  p { color: red; }\n}',
    );
    expect(sheet(`@font-face { font-family: X; src: url(${foreign}/x.woff); }`)).not.to.contain(foreign);
    expect(sheet('p { color: red } /* kein URL */')).to.equal('p { color: red } /* kein URL */');
    // Read as the CSS tokenizer reads it: neither a comment opener inside a string nor an escaped quote hides a URL.
    expect(sheet(`a { background: url("${allowed}/*"); b: url(${foreign}/x.png); c: url("*/") }`)).not.to.contain(
      foreign,
    );
    expect(sheet(`a { --x: "\\\\"; background: url(${foreign}/y.png) }`)).not.to.contain(foreign);
    expect(sheet(`a { content: "url(${foreign}/nur-text)"; color: red }`)).to.equal(
      `a { content: "url(${foreign}/nur-text)"; color: red; }`,
    );
  });
});

describe('AssetGuard: gaps of the review (issue 12, item 11)', () => {
  const allowed = 'https://www.kasse.example';
  const foreign = 'https://tracker.example';
  const svg = 'url("data:image/svg+xml,%3Csvg xmlns=\'http://www.w3.org/2000/svg\'/%3E")';

  /** A guard that has seen a page with a div (id 3) and an SVG rect (id 4). */
  function guard(): AssetGuard {
    const guard = new AssetGuard([allowed]);
    const div = { type: 2, id: 3, tagName: 'div', attributes: {}, childNodes: [] };
    const rect = { type: 2, id: 4, tagName: 'rect', attributes: {}, childNodes: [], isSVG: true };
    guard.event({ type: 2, timestamp: 0, data: { node: { type: 0, id: 1, childNodes: [div, rect] } } });
    return guard;
  }

  function changed(id: number, attrs: Record<string, unknown>): Record<string, unknown> {
    const change = { id, attributes: { ...attrs } };
    guard().event({
      type: 3,
      timestamp: 1,
      data: { source: 0, adds: [], removes: [], texts: [], attributes: [change] },
    });
    return change.attributes;
  }

  it('ends a CSS string at a newline as the tokenizer does: what follows it is CSS, and its URLs count', () => {
    const sheet = (text: string) => {
      const node = { type: 2, id: 3, tagName: 'link', attributes: { _cssText: text }, childNodes: [] };
      new AssetGuard([allowed]).event({
        type: 2,
        timestamp: 0,
        data: { node: { type: 0, id: 1, childNodes: [node] } },
      });
      return node.attributes._cssText;
    };
    const style = (text: string) => {
      const node = { type: 2, id: 3, tagName: 'div', attributes: { style: text }, childNodes: [] };
      new AssetGuard([allowed]).event({
        type: 2,
        timestamp: 0,
        data: { node: { type: 0, id: 1, childNodes: [node] } },
      });
      return node.attributes.style;
    };
    for (const end of ['\n', '\r', '\f', '\r\n']) {
      expect(sheet(`a{x:"foo${end}} b{background:url(${foreign}/x)} /*"}`), JSON.stringify(end)).not.to.contain(
        foreign,
      );
      expect(style(`x:"a${end};background:url(${foreign}/y);y:"`), JSON.stringify(end)).not.to.contain(foreign);
      expect(sheet(`a{x:'foo${end}} b{background-image:url(${foreign}/z)}`), JSON.stringify(end)).not.to.contain(
        foreign,
      );
    }
    // The same family: a bad url() (a quote in it) ends at ")", and a backslash before a newline escapes nothing.
    expect(sheet(`a{b:url(${allowed}/a "x);background:url(${foreign}/x);c:"}`)).not.to.contain(foreign);
    expect(style(`b:url(${allowed}/a "x);background:url(${foreign}/x);c:"`)).not.to.contain(foreign);
    expect(sheet(`a{--a:x\\\nurl(${foreign}/x); color: red}`)).not.to.contain(foreign);
    // An escaped newline goes on with the string: no rule after it, nothing to remove.
    expect(sheet(`a { content: "foo\\\nurl(${foreign}/nur-text)"; color: red }`)).to.contain('color: red');
    // The rest of the rule is kept.
    expect(sheet(`a{x:"foo\n} b{background:url(${foreign}/x); color: red}`)).to.contain('color: red');
  });

  it('a style declaration change honours its property: no data: SVG as a filter, mask, clip path or marker', () => {
    const set = (property: string, value: string) => {
      const data = { source: 13, id: 3, index: [0], set: { property, value, priority: '' } };
      guard().event({ type: 3, timestamp: 1, data });
      return data.set.value;
    };
    for (const property of [
      'filter',
      'mask',
      'mask-image',
      '-webkit-mask-image',
      'clip-path',
      'marker-start',
      'backdrop-filter',
      'fill',
      'stroke',
    ]) {
      expect(set(property, svg), property).to.equal('');
    }
    expect(set('background-image', svg)).to.contain('data:image/svg+xml');
    expect(set('background-image', `url(${foreign}/a.png)`)).to.equal('');
    // The same for a style attribute rrweb sends as an object, and for inline style text.
    const style = changed(3, {
      style: { filter: svg, mask: [svg, 'important'], 'background-image': svg, color: 'red' },
    }).style;
    expect(style).to.deep.equal({ filter: false, mask: false, 'background-image': svg, color: 'red' });
    expect(changed(3, { style: `backdrop-filter: ${svg}; color: red` }).style).to.equal('color: red;');
  });

  it('an attribute change on an element it does not know is judged as the worst case: no frame, no SVG reference', () => {
    // Known elements, as before.
    expect(changed(3, { src: `${allowed}/a.png` }).src).to.equal(`${allowed}/a.png`);
    expect(changed(4, { fill: `url(${foreign}/f.svg#g)` }).fill).to.equal(null);
    // Unknown id 99: it could be a frame, an SVG image, an SVG shape.
    expect(changed(99, { src: `${allowed}/seite` }).src).to.equal(null);
    expect(changed(99, { data: `${allowed}/seite` }).data).to.equal(null);
    expect(changed(99, { fill: `url(${foreign}/f.svg#g)` }).fill).to.equal(null);
    expect(changed(99, { filter: svg }).filter).to.equal(null);
    expect(changed(99, { href: '#icon' }).href).to.equal(null);
    expect(changed(99, { 'xlink:href': `${foreign}/s.svg#a` })['xlink:href']).to.equal(null);
    expect(changed(99, { class: 'aktiv' }).class).to.equal('aktiv');
  });

  it('trims a URL as the URL parser does (C0 controls and space only): a fragment behind NBSP is no fragment', () => {
    const href = (value: string) => changed(4, { href: value }).href;
    const link = (value: string) => {
      const node = { type: 2, id: 3, tagName: 'a', attributes: { href: value }, childNodes: [] };
      new AssetGuard([allowed]).event({
        type: 2,
        timestamp: 0,
        data: { node: { type: 0, id: 1, childNodes: [node] } },
      });
      return node.attributes.href;
    };
    for (const space of ['\u00a0', '\u2003', '\u3000', '\ufeff', '\u1680', '\u2028', '\u0085']) {
      expect(link(`${space}#oben`), JSON.stringify(space)).to.equal('#');
      expect(href(`${space}#icon`), JSON.stringify(space)).to.equal(null);
    }
    // What the URL parser does strip still counts as a fragment, and an allowed URL behind it is still allowed.
    expect(link(' \t\n#oben\u0000 ')).to.equal(' \t\n#oben\u0000 ');
    expect(href('\u0001#icon')).to.equal('\u0001#icon');
    expect(link(`\u001f${allowed}/seite `)).to.equal(`\u001f${allowed}/seite `);
  });
});
