/**
 * The live replay on its own, in the browser: hand-written rrweb events (Meta, FullSnapshot, incremental
 * mutations, scroll, viewport changes) as the visitor's recorder sends them.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { LiveViewer } from '../../src/cobrowse/replay.js';
import type { FrameInfo } from '../../src/cobrowse/replay.js';
import { snapshot, textChange } from './rrweb-events.js';
import type { Event } from './rrweb-events.js';

function scroll(at: number, y: number): Event {
  return { type: 3, timestamp: at, data: { source: 3, id: 1, x: 0, y } };
}

function viewportResize(at: number, width: number, height: number): Event {
  return { type: 3, timestamp: at, data: { source: 4, width, height } };
}

function greeting(viewer: LiveViewer): string | undefined {
  return viewer.iframe?.contentDocument?.getElementById('greeting')?.textContent ?? undefined;
}

async function container(width = 400): Promise<HTMLElement> {
  return fixture<HTMLElement>(html`<div style=${`width: ${width}px`}></div>`);
}

describe('LiveViewer', () => {
  let viewer: LiveViewer | undefined;
  afterEach(() => viewer?.destroy());

  it('shows the full snapshot and applies a later change promptly', async () => {
    const frames: FrameInfo[] = [];
    const root = await container();
    viewer = new LiveViewer(root, { title: 'Seite', onFrame: (frame) => frames.push(frame) });
    viewer.addEvents(snapshot(Date.now() - 40));
    await waitUntil(() => greeting(viewer!) === 'Hallo Welt', 'snapshot not shown');
    expect(viewer.iframe?.getAttribute('title')).to.equal('Seite');
    expect(viewer.iframe?.getAttribute('sandbox')).to.equal('allow-same-origin');

    const before = viewer.lastAppliedAt;
    const sent = performance.now();
    viewer.addEvents([textChange(Date.now(), 'Geändert')]);
    await waitUntil(() => greeting(viewer!) === 'Geändert', 'mutation not applied');
    expect(viewer.lastAppliedAt).to.be.greaterThan(before);
    // Live at the present, not a second behind (rrweb's own recipe): well under 200 ms even on a slow machine.
    expect(viewer.lastAppliedAt - sent).to.be.lessThan(200);
    await waitUntil(() => frames.some((frame) => frame.timestamp >= Date.now() - 1000 && frame.events >= 1));
  });

  it("starts live at the visitor's present by the clock offset (no wait for a clock 10 s ahead)", async () => {
    const root = await container();
    const offset = 10_000; // the visitor's clock is 10 s ahead of ours
    let wanted = 0;
    viewer = new LiveViewer(root, { onSnapshotWanted: () => (wanted += 1) });
    viewer.setClockOffset(offset);
    viewer.addEvents(snapshot(Date.now() + offset - 30));
    await waitUntil(() => greeting(viewer!) === 'Hallo Welt', 'snapshot not shown');
    viewer.addEvents([textChange(Date.now() + offset, 'Sofort')]);
    await waitUntil(() => greeting(viewer!) === 'Sofort', 'change waited for the wrong clock');
    expect(wanted).to.equal(0);
    // A much better estimate arrives: the view asks for a fresh snapshot once, to start over on it.
    viewer.setClockOffset(offset + 100);
    viewer.setClockOffset(offset + 200);
    expect(wanted).to.equal(1);
  });

  it('re-creates the replayer on every full snapshot, so its event list stays bounded', async () => {
    const root = await container();
    viewer = new LiveViewer(root);
    viewer.addEvents(snapshot(Date.now() - 20));
    await waitUntil(() => greeting(viewer!) === 'Hallo Welt');
    const first = viewer.iframe!;
    for (let i = 0; i < 50; i += 1) viewer.addEvents([textChange(Date.now(), `Zähler ${i}`)]);
    await waitUntil(() => greeting(viewer!) === 'Zähler 49');
    expect(viewer.eventCount).to.be.at.least(52);

    viewer.addEvents(snapshot(Date.now(), { text: 'Neu geladen' }));
    await waitUntil(() => greeting(viewer!) === 'Neu geladen', 'second snapshot not shown');
    expect(viewer.generation).to.equal(2);
    expect(first.isConnected, 'old replay iframe removed').to.equal(false);
    expect(root.querySelectorAll('iframe')).to.have.length(1);
    expect(root.querySelectorAll('.replayer-wrapper')).to.have.length(1);
    expect(viewer.eventCount).to.equal(2);
  });

  it('ignores events before the first full snapshot, and a reset drops the view', async () => {
    const root = await container();
    viewer = new LiveViewer(root);
    viewer.addEvents([textChange(Date.now(), 'zu früh')]);
    expect(viewer.iframe).to.equal(undefined);
    viewer.addEvents(snapshot(Date.now()));
    await waitUntil(() => greeting(viewer!) === 'Hallo Welt');
    viewer.reset();
    expect(viewer.iframe).to.equal(undefined);
    expect(root.querySelectorAll('iframe')).to.have.length(0);
  });

  it("scales the visitor's viewport to fit its container, keeping the aspect ratio", async () => {
    const root = await container(400);
    viewer = new LiveViewer(root);
    viewer.addEvents(snapshot(Date.now(), { width: 800, height: 600 }));
    await waitUntil(
      () => viewer!.viewport.width === 800 && Math.abs(root.getBoundingClientRect().height - 300) < 1,
      'not scaled',
    );
    expect(viewer.viewport.scale).to.equal(0.5);
    const frame = viewer.iframe!.getBoundingClientRect();
    expect(frame.width).to.be.closeTo(400, 1);
    expect(frame.height).to.be.closeTo(300, 1);

    // The visitor turns the phone / resizes the window: still fits, aspect kept.
    viewer.addEvents([viewportResize(Date.now(), 400, 800)]);
    await waitUntil(() => viewer!.viewport.width === 400, 'resize not applied');
    root.style.height = '400px';
    await waitUntil(() => Math.abs(viewer!.viewport.scale - 0.5) < 0.001, 'not refitted');
    const turned = viewer.iframe!.getBoundingClientRect();
    expect(turned.height).to.be.closeTo(400, 1);
    expect(turned.width).to.be.closeTo(200, 1);
    // Centred in the wider box.
    expect(turned.left - root.getBoundingClientRect().left).to.be.closeTo(100, 1);
  });

  it("maps the pointer over the view to the visitor's document (scale and scroll), throttled, hidden on leave", async () => {
    const root = await container(400);
    const pointers: [number, number, boolean][] = [];
    viewer = new LiveViewer(root, { onPointer: (x, y, visible) => pointers.push([x, y, visible]) });
    viewer.addEvents(snapshot(Date.now() - 10));
    await waitUntil(() => greeting(viewer!) === 'Hallo Welt' && viewer!.viewport.scale === 0.5);
    viewer.addEvents([scroll(Date.now(), 500)]);
    await waitUntil(() => viewer!.iframe?.contentWindow?.scrollY === 500, 'scroll not applied');

    const overlay = root.querySelector<HTMLElement>('.lotse-replay-overlay')!;
    const rect = viewer.iframe!.getBoundingClientRect();
    const move = (x: number, y: number) =>
      overlay.dispatchEvent(
        new PointerEvent('pointermove', { clientX: rect.left + x, clientY: rect.top + y, bubbles: true }),
      );
    // The three moves must fall within one throttle interval, so the viewer's clock (performance.now) stands still
    // for them: with the real clock a busy machine can pause the page for more than the 30 ms interval between two
    // of these lines (seen once, in Firefox, with the machine's load average at 10 on its 2 cores).
    const instant = performance.now();
    const now = performance.now;
    performance.now = () => instant;
    try {
      move(100, 50);
      expect(pointers).to.deep.equal([[200, 600, true]]);
      // Within the throttle interval only the latest position goes out, a little later.
      move(110, 60);
      move(120, 70);
      expect(pointers).to.have.length(1);
    } finally {
      performance.now = now;
    }
    await waitUntil(() => pointers.length === 2, 'trailing pointer not sent');
    expect(pointers[1]).to.deep.equal([240, 640, true]);

    overlay.dispatchEvent(new PointerEvent('pointerleave'));
    expect(pointers.at(-1)).to.deep.equal([240, 640, false]);
    expect(viewer.toDocument(rect.left - 5, rect.top)).to.equal(undefined);
  });

  it('destroy() leaves nothing behind', async () => {
    const root = await container();
    let frames = 0;
    let pointers = 0;
    viewer = new LiveViewer(root, { onFrame: () => (frames += 1), onPointer: () => (pointers += 1) });
    viewer.addEvents(snapshot(Date.now()));
    await waitUntil(() => greeting(viewer!) === 'Hallo Welt');
    const overlay = root.querySelector<HTMLElement>('.lotse-replay-overlay')!;
    const iframe = viewer.iframe!;
    viewer.destroy();
    viewer.destroy();
    expect(root.children).to.have.length(0);
    expect(iframe.isConnected).to.equal(false);
    expect(viewer.iframe).to.equal(undefined);
    const counted = frames;
    viewer.addEvents([textChange(Date.now(), 'nach dem Ende')]);
    overlay.dispatchEvent(new PointerEvent('pointermove', { clientX: 10, clientY: 10 }));
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    expect(frames).to.equal(counted);
    expect(pointers).to.equal(0);
  });
});
