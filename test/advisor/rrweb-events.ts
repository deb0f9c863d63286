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
              type: 2, id: 3, tagName: 'html', attributes: { lang: 'de' }, childNodes: [
                { type: 2, id: 4, tagName: 'head', attributes: {}, childNodes: [] },
                {
                  type: 2, id: 5, tagName: 'body', attributes: { style: 'margin: 0' }, childNodes: [
                    { type: 2, id: 6, tagName: 'p', attributes: { id: 'greeting' }, childNodes: [
                      { type: 3, id: 7, textContent: text },
                    ] },
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
  return { type: 3, timestamp: at, data: { source: 0, texts: [{ id: 7, value }], attributes: [], removes: [], adds: [] } };
}

