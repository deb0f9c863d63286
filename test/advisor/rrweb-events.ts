/** Hand-written rrweb events as the visitor's recorder sends them: a small page, and a change of its text. */
import type { RrwebEventEnvelope } from '../../src/protocol/peer.js';

export type Event = RrwebEventEnvelope & { data: unknown };

/** A page of 3000 px height with a greeting paragraph (node ids fixed, so mutations can name them). */
export function snapshot(at: number, options: { text?: string; width?: number; height?: number } = {}): Event[] {
  const { text = 'Hallo Welt', width = 800, height = 600 } = options;
  return [
    { type: 4, timestamp: at, data: { href: 'https://www.kasse.example/leistungen', width, height } },
    {
      type: 2,
      timestamp: at,
      data: {
        initialOffset: { left: 0, top: 0 },
        node: {
          type: 0,
          id: 1,
          childNodes: [
            { type: 1, id: 2, name: 'html', publicId: '', systemId: '' },
            {
              type: 2,
              id: 3,
              tagName: 'html',
              attributes: { lang: 'de' },
              childNodes: [
                { type: 2, id: 4, tagName: 'head', attributes: {}, childNodes: [] },
                {
                  type: 2,
                  id: 5,
                  tagName: 'body',
                  attributes: { style: 'margin: 0' },
                  childNodes: [
                    {
                      type: 2,
                      id: 6,
                      tagName: 'p',
                      attributes: { id: 'greeting' },
                      childNodes: [{ type: 3, id: 7, textContent: text }],
                    },
                    { type: 2, id: 8, tagName: 'div', attributes: { style: 'height: 3000px' }, childNodes: [] },
                  ],
                },
              ],
            },
          ],
        },
      },
    },
  ];
}

export function textChange(at: number, value: string): Event {
  return {
    type: 3,
    timestamp: at,
    data: { source: 0, texts: [{ id: 7, value }], attributes: [], removes: [], adds: [] },
  };
}

/** An element node of rrweb's snapshot format. */
function el(
  id: number,
  tagName: string,
  attributes: Record<string, string> = {},
  childNodes: unknown[] = [],
  svg = false,
) {
  return { type: 2, id, tagName, attributes, childNodes, ...(svg ? { isSVG: true } : {}) };
}

function txt(id: number, textContent: string) {
  return { type: 3, id, textContent };
}

/**
 * A visitor's page whose every way of naming a URL points at `foreign` (an origin not on the allow-list), plus one
 * image from `allowed`: the snapshot, then incremental events that add more (a new element, an attribute, a style
 * object, style text, a stylesheet rule, a declaration, an adopted sheet, a font). Paths name what asked for them.
 */
export function assetPage(at: number, foreign: string, allowed: string): { snapshot: Event[]; changes: Event[] } {
  const F = foreign;
  const sized = 'display: block; width: 20px; height: 20px';
  const css = [
    `@import url("${F}/import.css");`,
    `@font-face { font-family: Fremd; src: url("${F}/font-face.woff") format("woff"); }`,
    `.bg { background-image: url("${F}/style-bg.png"); }`,
    `.esc { background-image: \\75 rl(${F}/escaped.png); }`,
    `.set { background-image: image-set("${F}/image-set.png" 1x); }`,
    `.var { --bild: url(${F}/custom-property.png); background-image: var(--bild); }`,
    `.font { font-family: Fremd; } .font-event { font-family: Geladen; }`,
    `div { ${sized}; }`,
  ].join('\n');
  const snapshot: Event[] = [
    { type: 4, timestamp: at, data: { href: 'https://www.kasse.example/leistungen', width: 800, height: 600 } },
    {
      type: 2,
      timestamp: at,
      data: {
        initialOffset: { left: 0, top: 0 },
        node: {
          type: 0,
          id: 1,
          childNodes: [
            { type: 1, id: 2, name: 'html', publicId: '', systemId: '' },
            el(3, 'html', { lang: 'de' }, [
              el(4, 'head', {}, [
                el(10, 'base', { href: `${F}/base/` }),
                el(11, 'meta', { 'http-equiv': 'refresh', content: `0; url=${F}/refresh` }),
                el(12, 'link', { rel: 'stylesheet', href: `${F}/link.css` }),
                el(13, 'link', { rel: 'preload', as: 'image', href: `${F}/preload.png` }),
                el(14, 'link', { rel: 'prefetch', href: `${F}/prefetch.png` }),
                el(15, 'link', { rel: 'dns-prefetch', href: F }),
                el(16, 'style', {}, [txt(17, css)]),
                el(18, 'link', {
                  rel: 'stylesheet',
                  href: `${F}/inlined.css`,
                  _cssText: `.csstext { background-image: url("${F}/css-text.png"); }`,
                }),
                el(19, 'style', {}, [txt(20, '.bg2 { color: red; }')]),
                el(21, 'style', {}, [txt(22, '.decl { color: red; }')]),
                el(23, 'style', {}, [txt(24, '.first { color: red; }')]),
              ]),
              el(5, 'body', { background: `${F}/body-background.png`, style: 'margin: 0' }, [
                el(30, 'img', { src: `${F}/img.png`, width: '20', height: '20' }),
                el(31, 'img', { srcset: `${F}/srcset.png 1x`, width: '20', height: '20' }),
                el(32, 'object', { data: `${F}/object.png`, type: 'image/png', width: '20', height: '20' }),
                el(33, 'video', { poster: `${F}/poster.png`, width: '20', height: '20' }),
                el(
                  34,
                  'svg',
                  { width: '60', height: '20' },
                  [
                    el(35, 'image', { href: `${F}/svg-image.png`, width: '20', height: '20' }, [], true),
                    el(
                      36,
                      'image',
                      { 'xlink:href': `${F}/svg-xlink.png`, x: '20', width: '20', height: '20' },
                      [],
                      true,
                    ),
                    el(37, 'use', { href: `${F}/sprite.svg#a`, x: '40' }, [], true),
                  ],
                  true,
                ),
                el(38, 'div', { style: `background-image: url("${F}/inline-style.png")` }),
                el(39, 'div', { class: 'bg' }),
                el(40, 'div', { class: 'esc' }),
                el(41, 'div', { class: 'set' }),
                el(42, 'div', { class: 'var' }),
                el(43, 'p', { class: 'font' }, [txt(44, 'Schrift')]),
                el(45, 'div', { class: 'csstext' }),
                el(46, 'iframe', { src: `${F}/frame.html` }),
                el(47, 'iframe', { srcdoc: `<img src="${F}/srcdoc.png">` }),
                el(48, 'embed', { src: `${F}/embed.png`, type: 'image/png' }),
                el(49, 'input', { type: 'image', src: `${F}/input.png` }),
                el(50, 'img', { src: 'relative.png', width: '20', height: '20' }),
                el(51, 'picture', {}, [
                  el(52, 'source', { srcset: `${F}/source.png` }),
                  el(53, 'img', { width: '20', height: '20' }),
                ]),
                el(54, 'table', { background: `${F}/table-background.png` }, [
                  el(55, 'tbody', {}, [el(56, 'tr', {}, [el(57, 'td', {}, [txt(58, 'Zelle')])])]),
                ]),
                el(59, 'img', { rr_dataURL: `${F}/data-url.png`, width: '20', height: '20' }),
                el(60, 'video', { src: `${F}/video.mp4`, preload: 'auto' }),
                el(61, 'div', { class: 'bg2' }),
                el(62, 'div', { class: 'decl' }),
                el(63, 'div', { class: 'rule' }),
                el(64, 'div', { class: 'adopted' }),
                el(65, 'p', { class: 'font-event' }, [txt(66, 'Schrift')]),
                el(67, 'div', {}),
                el(68, 'img', { id: 'allowed', src: `${allowed}/allowed.png`, width: '20', height: '20' }),
              ]),
            ]),
          ],
        },
      },
    },
  ];
  const changes: Event[] = [
    {
      type: 3,
      timestamp: at,
      data: {
        source: 0,
        texts: [{ id: 20, value: `.bg2 { background-image: url("${F}/text-mutation.png"); }` }],
        attributes: [
          { id: 50, attributes: { src: `${F}/attribute.png` } },
          { id: 67, attributes: { style: { 'background-image': `url("${F}/style-object.png")` } } },
        ],
        removes: [],
        adds: [
          { parentId: 5, nextId: null, node: el(70, 'img', { src: `${F}/added.png`, width: '20', height: '20' }) },
          {
            parentId: 5,
            nextId: null,
            node: el(71, 'img', { id: 'allowed-added', src: `${allowed}/allowed-added.png` }),
          },
        ],
      },
    },
    {
      type: 3,
      timestamp: at,
      data: { source: 8, id: 23, adds: [{ rule: `.rule { background-image: url("${F}/sheet-rule.png"); }` }] },
    },
    {
      type: 3,
      timestamp: at,
      data: {
        source: 13,
        id: 21,
        index: [0],
        set: { property: 'background-image', value: `url("${F}/declaration.png")` },
      },
    },
    {
      type: 3,
      timestamp: at,
      data: {
        source: 15,
        id: 1,
        styleIds: [1],
        styles: [{ styleId: 1, rules: [{ rule: `.adopted { background-image: url("${F}/adopted.png"); }` }] }],
      },
    },
    {
      type: 3,
      timestamp: at,
      data: {
        source: 10,
        family: 'Geladen',
        fontSource: `url("${F}/font-event.woff")`,
        buffer: false,
        descriptors: {},
      },
    },
  ];
  return { snapshot, changes };
}
