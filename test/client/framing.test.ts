import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { constants, deflateRawSync, inflateRawSync } from 'node:zlib';
import { FrameReader, FrameWriter, readFrame } from '../../src/client/framing.js';
import { FrameDecoder, FrameEncoder } from '../../src/client/framing-deflate.js';

/** The payload of a frame as the decoder reads it. */
function payloadOf(frame: Uint8Array): Uint8Array {
  const read = readFrame(frame);
  if ('error' in read) throw new Error(read.error);
  return read.payload;
}
import type { PeerMessage } from '../../src/protocol/peer.js';
import { PEER_FRAME_BYTES } from '../../src/protocol/limits.js';

/** A page-like payload: repetitive markup with some noise, a few hundred KB of JSON. */
function bigEvents(nodes: number): PeerMessage {
  const childNodes = Array.from({ length: nodes }, (_, i) => ({
    type: 2,
    tagName: i % 3 === 0 ? 'div' : 'span',
    attributes: { class: `row r${i % 17}` },
    id: i + 10,
    childNodes: [{ type: 3, textContent: `Eintrag ${i} ${Math.random().toString(36).slice(2, 8)}`, id: i + 100_000 }],
  }));
  return { t: 'events', events: [{ type: 2, timestamp: 1_700_000_000_000, data: { node: { type: 0, childNodes } } }] };
}

/**
 * What rrweb sends while someone browses, one batch per 20 ms: mouse moves, scrolls, input and small mutations,
 * each batch a few hundred bytes with changing numbers.
 */
function liveBatches(count: number): PeerMessage[] {
  let time = 1_700_000_000_000;
  const batches: PeerMessage[] = [];
  for (let i = 0; i < count; i += 1) {
    const events: Record<string, unknown>[] = [];
    time += 20;
    switch (i % 4) {
      case 0:
        events.push({
          type: 3,
          timestamp: time,
          data: {
            source: 1,
            positions: [
              { x: 100 + ((i * 37) % 800), y: 100 + ((i * 53) % 600), id: 14 + (i % 90), timeOffset: -40 },
              { x: 104 + ((i * 37) % 800), y: 98 + ((i * 53) % 600), id: 14 + (i % 90), timeOffset: 0 },
            ],
          },
        });
        break;
      case 1:
        events.push({ type: 3, timestamp: time, data: { source: 3, id: 1, x: 0, y: (i * 150) % 9000 } });
        break;
      case 2:
        events.push({ type: 3, timestamp: time, data: { source: 5, text: `Notiz ${i} `, isChecked: false, id: 2231 } });
        break;
      default:
        events.push({
          type: 3,
          timestamp: time,
          data: {
            source: 0,
            texts: [],
            attributes: [{ id: 300 + ((i * 13) % 2500), attributes: { class: i % 8 === 3 ? 'hi' : '' } }],
            removes: [],
            adds: [],
          },
        });
    }
    batches.push({ t: 'events', events: events as never });
  }
  return batches;
}

/** Frames → messages, with corruption reports. */
function decoderFor() {
  const received: PeerMessage[] = [];
  const corrupt: string[] = [];
  const decoder = new FrameDecoder(
    (m) => received.push(m),
    (reason) => corrupt.push(reason),
  );
  return { decoder, received, corrupt };
}

const wireSize = (frames: Uint8Array[]) => frames.reduce((sum, f) => sum + f.byteLength, 0);

describe('data channel framing', () => {
  it('splits a large message into frames of at most 16 KiB and puts it back together, compressed', () => {
    const message = bigEvents(5000);
    const frames = new FrameEncoder().encode(message);
    assert.ok(frames.length > 1, 'several frames');
    for (const frame of frames) assert.ok(frame.byteLength <= PEER_FRAME_BYTES);
    const raw = JSON.stringify(message).length;
    const wire = wireSize(frames);
    assert.ok(wire * 4 < raw, `compressed: ${wire} bytes on the wire for ${raw} bytes of JSON`);
    const { decoder, received, corrupt } = decoderFor();
    for (const frame of frames) decoder.push(frame);
    assert.deepEqual(received, [message]);
    assert.deepEqual(corrupt, []);
  });

  it('compresses many small similar messages at least 5× in total over the shared stream', () => {
    const messages = liveBatches(3000);
    const encoder = new FrameEncoder();
    const { decoder, received, corrupt } = decoderFor();
    let raw = 0;
    let wire = 0;
    let alone = 0;
    for (const message of messages) {
      const json = JSON.stringify(message);
      raw += Buffer.byteLength(json);
      alone += 1 + deflateRawSync(json).length; // what compressing each message by itself would send
      const frames = encoder.encode(message);
      assert.equal(frames.length, 1);
      assert.equal(frames[0]![0], 1, 'compressed');
      wire += wireSize(frames);
      for (const frame of frames) decoder.push(frame);
    }
    assert.deepEqual(received, messages);
    assert.deepEqual(corrupt, []);
    assert.ok(
      raw / wire >= 5,
      `shared stream: ${wire} bytes on the wire for ${raw} bytes of JSON (${(raw / wire).toFixed(2)}×)`,
    );
    assert.ok(wire * 3 < alone, `shared stream ${wire} bytes, one stream per message ${alone} bytes`);
  });

  it('gives a one-frame message a one-byte header and each frame of a longer one five bytes', () => {
    const encoder = new FrameEncoder();
    const [small, ...none] = encoder.encode({ t: 'pointer', x: 120, y: 480, visible: true });
    assert.equal(none.length, 0);
    assert.equal(small![0], 1, 'compressed, one frame');
    const big = encoder.encode(bigEvents(6000));
    assert.ok(big.length > 1);
    big.forEach((frame, index) => {
      assert.equal(frame[0], 3, 'compressed, one of several');
      assert.deepEqual(readFrame(frame), { compressed: true, index, count: big.length, payload: frame.subarray(5) });
      assert.ok(frame.byteLength <= PEER_FRAME_BYTES);
    });
  });

  it('sync-flushes every message so that a reference inflater (zlib) decodes each one on arrival', () => {
    // Messages of every length from ~100 to ~700 bytes end the last block at every bit position.
    const encoder = new FrameEncoder();
    const messages: PeerMessage[] = [];
    for (let i = 0; i < 600; i += 1) {
      const tag = `custom-${i}-abcdefghijklmnopqrstuvwxyz-${'x'.repeat(i % 300)}`;
      messages.push({ t: 'events', events: [{ type: 5, timestamp: i, data: { tag, n: (i * 7919) % 1013 } }] });
      if (i % 50 === 0) messages.push(bigEvents(400 + i));
    }
    let window = Buffer.alloc(0);
    for (const message of messages) {
      const frames = encoder.encode(message);
      assert.equal(frames[0]![0]! & 1, 1, 'compressed');
      // The flush's last four bytes (00 00 FF FF) are not sent: put back, as permessage-deflate does.
      const body = Buffer.concat([...frames.map((f) => payloadOf(f)), Buffer.from([0, 0, 0xff, 0xff])]);
      const text = inflateRawSync(body, {
        finishFlush: constants.Z_SYNC_FLUSH,
        ...(window.length > 0 ? { dictionary: window } : {}),
      });
      assert.equal(text.toString('utf8'), JSON.stringify(message));
      window = Buffer.concat([window, text]).subarray(-32 * 1024);
    }
  });

  it('keeps the order of messages of mixed sizes; the smallest go uncompressed and leave the stream alone', () => {
    const encoder = new FrameEncoder();
    const messages: PeerMessage[] = [
      bigEvents(3000),
      { t: 'pointer', x: 10, y: 20, visible: true },
      ...liveBatches(5),
      bigEvents(10),
      { t: 'ping', a: 5 },
      { t: 'pong', a: 5, b: 7 },
      ...liveBatches(3),
      { t: 'bye' },
    ];
    const { decoder, received, corrupt } = decoderFor();
    const flags: number[] = [];
    for (const message of messages) {
      for (const frame of encoder.encode(message)) {
        const read = readFrame(frame);
        if (!('error' in read) && read.index === 0) flags.push(read.compressed ? 1 : 0);
        decoder.push(frame);
      }
    }
    assert.deepEqual(received, messages);
    assert.deepEqual(corrupt, []);
    assert.deepEqual(
      flags,
      messages.map((m) => (JSON.stringify(m).length >= 40 ? 1 : 0)),
    );
    assert.ok(flags.includes(0) && flags.includes(1));
    assert.equal(decoder.stats.messages, messages.length);
    assert.equal(decoder.stats.dropped, 0);
  });

  it('reports a corrupt compressed frame once, never throws, and delivers nothing after it', () => {
    const encoder = new FrameEncoder();
    const { decoder, received, corrupt } = decoderFor();
    const messages = liveBatches(20);
    for (const message of messages.slice(0, 10)) for (const frame of encoder.encode(message)) decoder.push(frame);
    const [bad] = encoder.encode(messages[10]!);
    const flipped = bad!.slice();
    for (let i = 9; i < flipped.length - 4; i += 1) flipped[i] = flipped[i]! ^ 0x5a;
    assert.doesNotThrow(() => decoder.push(flipped));
    for (const message of messages.slice(11))
      for (const frame of encoder.encode(message)) assert.doesNotThrow(() => decoder.push(frame));
    assert.deepEqual(received, messages.slice(0, 10));
    assert.equal(corrupt.length, 1, corrupt.join('; '));
    assert.equal(decoder.corrupt, true);
    assert.equal(decoder.stats.dropped, 10);
  });

  const cases: [string, (frames: Uint8Array[]) => Uint8Array[], boolean?][] = [
    ['a short frame', () => [new Uint8Array([1, 2, 3])]],
    ['an oversized frame', () => [new Uint8Array(PEER_FRAME_BYTES + 1)]],
    ['unknown flag bits', (frames) => frames.map((f) => Object.assign(f.slice(), { 0: 0x81 }))],
    ['a missing message', () => []],
    ['a message twice', (frames) => [...frames, ...frames], true],
    ['a middle frame without its start', (frames) => frames.slice(1)],
    ['a message cut short', (frames) => frames.slice(0, -1)],
    ['a frame count of 0', (frames) => frames.map((f) => Object.assign(f.slice(), { 7: 0, 8: 0 }))],
    [
      'a compressed body that inflates to something else',
      (frames) =>
        frames.map((f) => {
          const copy = f.slice();
          for (let i = 9; i < copy.length - 4; i += 97) copy[i] = copy[i]! ^ 0x20;
          return copy;
        }),
    ],
  ];
  for (const [name, damage, arrives = false] of cases) {
    it(`treats ${name} as a broken stream: reported, no throw`, () => {
      const encoder = new FrameEncoder();
      const { decoder, received, corrupt } = decoderFor();
      const before = [bigEvents(50), ...liveBatches(3)];
      const damaged = bigEvents(3000);
      const after = liveBatches(4);
      for (const message of before) for (const frame of encoder.encode(message)) decoder.push(frame);
      for (const frame of damage(encoder.encode(damaged))) assert.doesNotThrow(() => decoder.push(frame));
      for (const message of after)
        for (const frame of encoder.encode(message)) assert.doesNotThrow(() => decoder.push(frame));
      assert.deepEqual(received, arrives ? [...before, damaged] : before, 'nothing after the damage');
      assert.equal(corrupt.length, 1);
    });
  }

  it('drops a whole message that is not JSON or not a known message, and goes on: the stream is intact', () => {
    const encoder = new FrameEncoder();
    const { decoder, received, corrupt } = decoderFor();
    // The advisor cannot click: an unknown type, long enough to go through the compressed stream.
    const unknown = {
      t: 'click',
      x: 1,
      selector: '#rows > tr:nth-child(12) > td.betrag'.repeat(4),
    } as unknown as PeerMessage;
    for (const frame of encoder.encode(unknown)) decoder.push(frame);
    for (const frame of encoder.encode({ t: 'tap' } as unknown as PeerMessage)) decoder.push(frame);
    // A one-frame uncompressed message (flags 0) whose body is not JSON.
    const junk = new Uint8Array(100);
    junk.set([0, 0x7b, 0x7b]);
    decoder.push(junk);
    const rest: PeerMessage[] = [{ t: 'snapshot' }, ...liveBatches(5)];
    for (const message of rest) for (const frame of encoder.encode(message)) decoder.push(frame);
    assert.deepEqual(received, rest);
    assert.deepEqual(corrupt, []);
    assert.equal(decoder.stats.dropped, 3);
  });

  it('survives random garbage without throwing', () => {
    for (let round = 0; round < 200; round += 1) {
      const { decoder, corrupt } = decoderFor();
      const encoder = new FrameEncoder();
      const frames = [...encoder.encode(bigEvents(200)), ...encoder.encode(liveBatches(1)[0]!)];
      for (const frame of frames) {
        const copy = frame.slice();
        copy[1 + Math.floor(Math.random() * (copy.length - 1))] = Math.floor(Math.random() * 256);
        if (round % 2 === 0)
          copy[Math.floor(Math.random() * Math.min(5, copy.length))] = Math.floor(Math.random() * 256);
        assert.doesNotThrow(() => decoder.push(copy));
      }
      const random = new Uint8Array(Math.floor(Math.random() * 2000));
      for (let i = 0; i < random.length; i += 1) random[i] = Math.floor(Math.random() * 256);
      assert.doesNotThrow(() => decoder.push(random));
      assert.ok(corrupt.length <= 1);
    }
  });

  it('refuses a message too large for the channel before it touches the stream', () => {
    const encoder = new FrameEncoder();
    const { decoder, received, corrupt } = decoderFor();
    const first = liveBatches(3);
    for (const message of first) for (const frame of encoder.encode(message)) decoder.push(frame);
    const huge = {
      t: 'events',
      events: [{ type: 3, timestamp: 0, data: { text: 'x'.repeat(64 * 1024 * 1024) } }],
    } as PeerMessage;
    assert.throws(() => encoder.encode(huge), /LOTSE_ERR_TOO_LONG/);
    const next = liveBatches(3);
    for (const message of next) for (const frame of encoder.encode(message)) decoder.push(frame);
    assert.deepEqual(received, [...first, ...next]);
    assert.deepEqual(corrupt, []);
  });

  it('belongs to one channel: a fresh pair starts a fresh stream, and the old stream does not decode on it', () => {
    const old = new FrameEncoder();
    for (const message of liveBatches(10)) old.encode(message);
    const { decoder, received, corrupt } = decoderFor();
    for (const frame of old.encode(liveBatches(11)[10]!)) decoder.push(frame);
    assert.deepEqual(received, []);
    assert.equal(corrupt.length, 1);
    const fresh = decoderFor();
    const encoder = new FrameEncoder();
    const messages = liveBatches(10);
    for (const message of messages) for (const frame of encoder.encode(message)) fresh.decoder.push(frame);
    assert.deepEqual(fresh.received, messages);
  });
});

describe('data channel framing, advisor to visitor: uncompressed', () => {
  /** What the advisor sends, and a large message to need several frames. */
  const advisorMessages = (): PeerMessage[] => [
    { t: 'pointer', x: 120, y: 480, visible: true },
    { t: 'ping', a: 1_700_000_000_000 },
    { t: 'pointer', x: -5, y: 9_999_999, visible: false },
    { t: 'snapshot' },
    bigEvents(3000),
    { t: 'bye' },
  ];

  it('sends every message with the compressed flag clear, in one frame or several, the JSON as it is', () => {
    const writer = new FrameWriter();
    for (const message of advisorMessages()) {
      const frames = writer.encode(message);
      const json = JSON.stringify(message);
      assert.equal(Buffer.concat(frames.map((frame) => payloadOf(frame))).toString('utf8'), json, 'the JSON itself');
      for (const frame of frames) {
        assert.equal(frame[0]! & 1, 0, 'compressed flag clear');
        assert.equal(frame[0], frames.length > 1 ? 2 : 0);
        assert.ok(frame.byteLength <= PEER_FRAME_BYTES);
      }
      assert.equal(frames.length > 1, json.length > PEER_FRAME_BYTES - 1);
    }
    assert.throws(
      () =>
        writer.encode({
          t: 'events',
          events: [{ type: 3, timestamp: 0, data: { text: 'x'.repeat(64 * 1024 * 1024) } }],
        } as PeerMessage),
      /LOTSE_ERR_TOO_LONG/,
    );
  });

  it('is read by the visitor (no inflater, advisor messages only) and by an inflating decoder alike', () => {
    const writer = new FrameWriter();
    const messages = advisorMessages();
    const frames = messages.map((message) => writer.encode(message));
    const plain: PeerMessage[] = [];
    const reader = new FrameReader(
      (m) => plain.push(m),
      (reason) => assert.fail(reason),
    );
    const inflating = decoderFor();
    for (const frame of frames.flat()) {
      reader.push(frame);
      inflating.decoder.push(frame);
    }
    // The visitor takes only what the advisor sends: the large `events` message (several frames) is dropped whole.
    const forVisitor = messages.filter((message) => message.t !== 'events');
    assert.deepEqual(plain, forVisitor);
    assert.deepEqual(inflating.received, messages);
    assert.deepEqual(inflating.corrupt, []);
    assert.deepEqual(reader.stats, { wireBytes: wireSize(frames.flat()), messages: forVisitor.length, dropped: 1 });
    assert.equal(reader.corrupt, false);
  });

  it('the visitor drops a compressed message whole (an older console compressed its pointer) and reads on', () => {
    const compressing = new FrameEncoder();
    const writer = new FrameWriter();
    const received: PeerMessage[] = [];
    const corrupt: string[] = [];
    const reader = new FrameReader(
      (m) => received.push(m),
      (reason) => corrupt.push(reason),
    );
    const plain: PeerMessage[] = [{ t: 'ping', a: 1 }, { t: 'snapshot' }, { t: 'pointer', x: 1, y: 2, visible: true }];
    const sequence: [PeerMessage, FrameWriter][] = [
      [plain[0]!, writer],
      [{ t: 'pointer', x: 120, y: 480, visible: true }, compressing],
      [bigEvents(3000), compressing],
      [plain[1]!, writer],
      [{ t: 'pointer', x: 121, y: 481, visible: true }, compressing],
      [plain[2]!, writer],
    ];
    for (const [message, encoder] of sequence) for (const frame of encoder.encode(message)) reader.push(frame);
    assert.deepEqual(received, plain);
    assert.deepEqual(corrupt, []);
    assert.equal(reader.corrupt, false);
    assert.equal(reader.stats.dropped, 3, 'three compressed messages, each dropped once');
  });

  it('the visitor still treats frames out of sequence as a broken stream', () => {
    const writer = new FrameWriter();
    const corrupt: string[] = [];
    const received: PeerMessage[] = [];
    const reader = new FrameReader(
      (m) => received.push(m),
      (reason) => corrupt.push(reason),
    );
    const frames = writer.encode(bigEvents(3000));
    for (const frame of frames.slice(1)) assert.doesNotThrow(() => reader.push(frame));
    reader.push(writer.encode({ t: 'bye' })[0]!);
    assert.deepEqual(received, []);
    assert.equal(corrupt.length, 1);
    assert.equal(reader.corrupt, true);
  });
});
