/**
 * Steps of the co-browse flow as a person does them, on real pages: the advisor's console and the visitor's
 * page. Shared by the end-to-end tests and the benchmark.
 */
import { constants, inflateRawSync } from 'node:zlib';
import type { BrowserContext, Page } from 'playwright-core';
import { readFrame } from '../../src/client/framing.js';

export const cobrowse = 'lotse-cobrowse';
export const consoleEl = 'lotse-advisor-console';

/** Advisor: a new webcode for a phone call (no chat), read off the console. */
export async function offerByPhone(advisor: Page): Promise<string> {
  const before = await advisor.locator(`${consoleEl} [part~="webcode"]`).count();
  await advisor.locator(`${consoleEl} [part~="cobrowse-offer-phone"]`).click();
  const webcode = advisor.locator(`${consoleEl} [part~="webcode"]`).nth(before);
  await webcode.waitFor();
  const digits = (await webcode.textContent())!.replace(/\D/g, '');
  if (!/^\d{6}$/.test(digits)) throw new Error(`no webcode shown: "${digits}"`);
  return digits;
}

/** Visitor: types the webcode into the site's search field and submits it. */
export async function enterWebcodeInSearch(visitor: Page, webcode: string): Promise<void> {
  const search = visitor.locator('form[data-lotse-search] input[type="search"]').first();
  await search.fill(webcode.replace(/(\d{3})(\d{3})/, '$1 $2'));
  await search.press('Enter');
}

/** Visitor: ticks the box, starts, and reads the start code off the page. */
export async function consentAndReadStartCode(visitor: Page): Promise<string> {
  await visitor.locator(`${cobrowse} [part~="cobrowse-consent"]`).check();
  await visitor.locator(`${cobrowse} [part~="cobrowse-start"]`).click();
  const code = visitor.locator(`${cobrowse} [part~="start-code"]`);
  await code.waitFor();
  return (await code.textContent())!.replace(/[^A-Z0-9]/g, '');
}

/** Advisor: types the start code the visitor read out. */
export async function typeStartCode(advisor: Page, startCode: string): Promise<void> {
  await advisor
    .locator(`${consoleEl} [part~="start-code-input"]`)
    .last()
    .fill(startCode.replace(/(.{4})(.{4})/, '$1 $2').toLowerCase());
  await advisor.locator(`${consoleEl} [part~="start-code-submit"]`).last().click();
}

/** The replayed page inside the advisor's viewer. */
export function viewerFrame(advisor: Page) {
  return advisor.frameLocator(`${consoleEl} lotse-cobrowse-viewer iframe`);
}

/** The whole flow up to a live session; returns the codes used. */
export async function startSession(advisor: Page, visitor: Page): Promise<{ webcode: string; startCode: string }> {
  const webcode = await offerByPhone(advisor);
  await enterWebcodeInSearch(visitor, webcode);
  const startCode = await consentAndReadStartCode(visitor);
  await typeStartCode(advisor, startCode);
  await visitor.locator(`${cobrowse} [part~="live-bar"]`).waitFor();
  return { webcode, startCode };
}

/**
 * Records every byte the page sends on a WebRTC data channel (installed before any page script runs), with the
 * channel it went on (each channel has its own compression stream), and every RTCPeerConnection, so a test can
 * read the selected candidate pair.
 */
export async function captureDataChannels(context: BrowserContext): Promise<void> {
  await context.addInitScript(dataChannelCapture);
}

/**
 * The page side of `captureDataChannels`, for any driver's "run before the page's scripts" (Playwright's
 * `addInitScript`, puppeteer's `evaluateOnNewDocument`). It runs in the page: no named inner functions (the test's
 * TypeScript loader would wrap them in a helper the page does not have).
 */
export function dataChannelCapture(): void {
  const w = window as unknown as {
    __lotseFrames: number[][];
    __lotseFrameChannels: number[];
    __lotsePeers: RTCPeerConnection[];
  };
  w.__lotseFrames = [];
  w.__lotseFrameChannels = [];
  w.__lotsePeers = [];
  const channels = new WeakMap<RTCDataChannel, number>();
  let channelCount = 0;
  const send = RTCDataChannel.prototype.send;
  RTCDataChannel.prototype.send = function (this: RTCDataChannel, data: unknown) {
    const bytes =
      data instanceof ArrayBuffer
        ? new Uint8Array(data)
        : ArrayBuffer.isView(data)
          ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
          : new TextEncoder().encode(String(data));
    if (!channels.has(this)) channels.set(this, channelCount++);
    w.__lotseFrames.push(Array.from(bytes));
    w.__lotseFrameChannels.push(channels.get(this)!);
    return send.call(this, data as never);
  } as typeof send;
  const Original = RTCPeerConnection;
  window.RTCPeerConnection = class extends Original {
    constructor(config?: RTCConfiguration) {
      super(config);
      w.__lotsePeers.push(this);
    }
  } as typeof RTCPeerConnection;
}

/** What `dataChannelCapture` recorded: each frame's bytes and the channel it went on. */
export interface CapturedFrames {
  frames: number[][];
  channels: number[];
}

/** The page side of `sentMessages`: the frames recorded so far. */
export function capturedFrames(): CapturedFrames {
  const w = window as unknown as { __lotseFrames: number[][]; __lotseFrameChannels: number[] };
  return { frames: w.__lotseFrames, channels: w.__lotseFrameChannels };
}

/**
 * The frames a page sent, decoded the way the other side decodes them: the plain text of every message. Compressed
 * messages of one channel are one raw DEFLATE stream, sync-flushed after each message, without the flush's last
 * four bytes (00 00 FF FF, put back here). Each is inflated by zlib (not by the library that made it) with the
 * channel's last 32 KiB of inflated text as the preset dictionary: exactly the window a streaming inflater has.
 */
export async function sentMessages(page: Page): Promise<{ wireBytes: number; texts: string[] }> {
  return decodeSentMessages(await page.evaluate(capturedFrames));
}

/** `sentMessages` for frames read from the page by any driver. */
export function decodeSentMessages({ frames, channels }: CapturedFrames): { wireBytes: number; texts: string[] } {
  const WINDOW = 32 * 1024;
  const FLUSH_TAIL = Buffer.from([0x00, 0x00, 0xff, 0xff]);
  let wireBytes = 0;
  const texts: string[] = [];
  const streams = new Map<number, { parts: Buffer[]; window: Buffer }>();
  frames.forEach((array, i) => {
    const frame = Buffer.from(array);
    wireBytes += frame.length;
    const channel = channels[i]!;
    const stream = streams.get(channel) ?? { parts: [], window: Buffer.alloc(0) };
    streams.set(channel, stream);
    const read = readFrame(frame);
    if ('error' in read) throw new Error(`captured frame ${i}: ${read.error}`);
    if (read.index === 0) stream.parts = [];
    stream.parts.push(Buffer.from(read.payload));
    if (stream.parts.length !== read.count) return;
    const body = Buffer.concat(stream.parts);
    stream.parts = [];
    if (!read.compressed) {
      texts.push(body.toString('utf8'));
      return;
    }
    const text = inflateRawSync(Buffer.concat([body, FLUSH_TAIL]), {
      finishFlush: constants.Z_SYNC_FLUSH,
      ...(stream.window.length > 0 ? { dictionary: stream.window } : {}),
    });
    stream.window = Buffer.concat([stream.window, text]).subarray(-WINDOW);
    texts.push(text.toString('utf8'));
  });
  return { wireBytes, texts };
}

/** The type of the local candidate of the pair each peer connection actually uses ('host', 'relay', …). */
export async function selectedCandidateTypes(page: Page): Promise<string[]> {
  return page.evaluate(candidateTypesInPage);
}

/**
 * The page side of `selectedCandidateTypes`, for any driver's `evaluate`. Chromium names the pair in use in its
 * transport report (`selectedCandidatePairId`); Firefox has no transport report and marks the pair `selected`.
 */
export async function candidateTypesInPage(): Promise<string[]> {
  const peers = (window as unknown as { __lotsePeers: RTCPeerConnection[] }).__lotsePeers;
  const types: string[] = [];
  for (const peer of peers) {
    if (peer.connectionState !== 'connected') continue;
    const stats = await peer.getStats();
    let pairId: string | undefined;
    stats.forEach((report) => {
      if (report.type === 'transport' && report.selectedCandidatePairId) pairId = report.selectedCandidatePairId;
    });
    stats.forEach((report) => {
      if (pairId === undefined && report.type === 'candidate-pair' && report.selected === true) pairId = report.id;
    });
    const pair = pairId === undefined ? undefined : stats.get(pairId);
    const local = pair === undefined ? undefined : stats.get(pair.localCandidateId);
    if (local !== undefined) types.push(String(local.candidateType));
  }
  return types;
}

/**
 * The page's own controls (matching `selector`, with their middle on the screen) where `elementFromPoint` at that
 * middle is not the control but Lotse's co-browse element (its live bar or border); and each corner of the screen,
 * 2 px in, where the border lies, when Lotse's element takes the point there.
 */
export function coveredByLiveView(page: Page, selector: string): Promise<string[]> {
  return page.evaluate((selector) => {
    // (No named functions in here: the test's TypeScript build would wrap them in a helper the page lacks.)
    const width = document.documentElement.clientWidth;
    const height = document.documentElement.clientHeight;
    const covered: string[] = [];
    for (const control of document.querySelectorAll(selector)) {
      const box = control.getBoundingClientRect();
      const [x, y] = [box.left + box.width / 2, box.top + box.height / 2];
      if (box.width === 0 || x < 0 || y < 0 || x >= width || y >= height) continue;
      const hit = document.elementFromPoint(x, y);
      if (hit !== null && !control.contains(hit) && hit.closest('lotse-cobrowse') !== null) {
        covered.push(
          `${control.tagName.toLowerCase()} "${control.textContent?.trim() || control.getAttribute('name')}"`,
        );
      }
    }
    for (const [x, y] of [
      [2, 2],
      [width - 3, 2],
      [2, height - 3],
      [width - 3, height - 3],
    ] as const) {
      if (document.elementFromPoint(x, y)?.closest('lotse-cobrowse')) covered.push(`corner ${x},${y}`);
    }
    return covered;
  }, selector);
}

type Box = { x: number; y: number; width: number; height: number };

/** Whether two boxes (Playwright's `boundingBox()`) share any area. */
export function overlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}
