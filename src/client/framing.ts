/**
 * Framing for the co-browse data channel: a message (JSON) becomes one or more binary frames of at most
 * `PEER_FRAME_BYTES` and comes back whole on the other side. This module holds the frames; the compression, one
 * DEFLATE stream per data channel, is `framing-deflate.ts`'s.
 *
 * Only the visitor compresses. What the advisor sends (pointer, ping, snapshot, bye: a few dozen bytes each) goes
 * as it is, flag bit 0 clear, so that the visitor's browser needs no inflater: `FrameEncoder` (compressing) and
 * `FrameReader` (not inflating) are the visitor's pair, `FrameWriter` (not compressing) and `FrameDecoder`
 * (inflating) the advisor's, and each side's bundle holds only its half of fflate. A reader that cannot inflate
 * drops a compressed message whole and goes on: uncompressed messages do not touch the stream, so the ones around
 * it still arrive (a console from before this change compresses its pointer: the visitor then sees no pointer, the
 * session itself works).
 *
 * Frames of one message are sent back to back on an ordered, reliable channel, so messages need no number: the
 * decoder takes them in the order they come. Since every compressed message depends on all compressed messages
 * before it, the decoder cannot skip anything: a frame that does not fit what it expects (wrong size, index, count
 * or flags, a compressed body that does not inflate, compressed text that is not JSON, a message larger than
 * allowed) leaves the stream unusable. The decoder never throws on such a frame; it reports
 * it once through `onCorrupt` and drops everything after, and the owner closes the channel (a new one starts
 * fresh, with a fresh full snapshot). A message that arrives whole and is JSON but not a known peer message, or an
 * uncompressed one that is not JSON, is only dropped: the stream is intact.
 *
 * Frame layout (big endian). Most messages are one small frame, so its header is a single byte (with a 9-byte
 * header, the header alone was a quarter of a minute's traffic):
 *   0     flags: bit 0 = compressed (part of the channel's DEFLATE stream), bit 1 = one of several frames
 *   one frame:        1..   payload
 *   several frames:   1..2  index of this frame (u16), 3..4 frame count of the message (u16, ≥ 2), 5.. payload
 */
import { PEER_FRAME_BYTES } from '../protocol/limits.js';
import type { PeerMessage } from '../protocol/peer.js';
import { parsePeerToVisitor } from '../protocol/peer-to-visitor.js';

const COMPRESSED = 1;
const SEVERAL = 2;
/** Header of a message's only frame, and of each frame of a message that needs several. */
const SINGLE_HEADER = 1;
const MULTI_HEADER = 5;
const SINGLE_PAYLOAD = PEER_FRAME_BYTES - SINGLE_HEADER;
const PAYLOAD = PEER_FRAME_BYTES - MULTI_HEADER;
/** The largest message (JSON bytes) an encoder sends and a decoder inflates: a full snapshot of a very large page. */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/** Frames of the largest message; deflate may add a little to incompressible data (5 bytes per stored block). */
const MAX_FRAMES = Math.ceil((MAX_MESSAGE_BYTES + MAX_MESSAGE_BYTES / 1024 + 1024) / PAYLOAD);

const utf8 = new TextEncoder();
const text = new TextDecoder('utf-8', { fatal: true });

/** The parts as one array (the part itself when there is only one). */
export function concat(parts: Uint8Array[], size: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const whole = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    whole.set(part, offset);
    offset += part.length;
  }
  return whole;
}

/** A frame's header and payload, or a reason it cannot be one. Shared with the tests that read captured frames. */
export function readFrame(
  frame: Uint8Array,
): { compressed: boolean; index: number; count: number; payload: Uint8Array } | { error: string } {
  if (frame.byteLength < SINGLE_HEADER || frame.byteLength > PEER_FRAME_BYTES)
    return { error: `frame of ${frame.byteLength} bytes` };
  const flags = frame[0]!;
  if ((flags & ~(COMPRESSED | SEVERAL)) !== 0) return { error: `unknown flags ${flags}` };
  const compressed = (flags & COMPRESSED) !== 0;
  if ((flags & SEVERAL) === 0) return { compressed, index: 0, count: 1, payload: frame.subarray(SINGLE_HEADER) };
  if (frame.byteLength < MULTI_HEADER) return { error: `frame of ${frame.byteLength} bytes` };
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const index = view.getUint16(1);
  const count = view.getUint16(3);
  if (count < 2 || count > MAX_FRAMES || index >= count) return { error: `frame ${index} of ${count}` };
  return { compressed, index, count, payload: frame.subarray(MULTI_HEADER) };
}

/**
 * Frames messages as they are, never compressed (flag bit 0 clear): what the advisor sends. `FrameEncoder`
 * (`framing-deflate.ts`) adds the compression.
 */
export class FrameWriter {
  /**
   * The frames of one message, in order. Synchronous: frames of two messages can never interleave. A message
   * too large for the channel throws a `RangeError` before it touches the stream (the encoder stays usable).
   */
  encode(message: PeerMessage): Uint8Array[] {
    const raw = utf8.encode(JSON.stringify(message));
    if (raw.length > MAX_MESSAGE_BYTES)
      throw new RangeError('LOTSE_ERR_TOO_LONG: message too large for the data channel');
    const compressed = this.compress(raw);
    const body = compressed ?? raw;
    const flags = compressed === undefined ? 0 : COMPRESSED;
    if (body.length <= SINGLE_PAYLOAD) {
      const frame = new Uint8Array(SINGLE_HEADER + body.length);
      frame[0] = flags;
      frame.set(body, SINGLE_HEADER);
      return [frame];
    }
    const count = Math.ceil(body.length / PAYLOAD);
    const frames: Uint8Array[] = [];
    for (let index = 0; index < count; index += 1) {
      const chunk = body.subarray(index * PAYLOAD, (index + 1) * PAYLOAD);
      const frame = new Uint8Array(MULTI_HEADER + chunk.length);
      const view = new DataView(frame.buffer);
      view.setUint8(0, flags | SEVERAL);
      view.setUint16(1, index);
      view.setUint16(3, count);
      frame.set(chunk, MULTI_HEADER);
      frames.push(frame);
    }
    return frames;
  }

  /** The message's body in the channel's compressed stream, or `undefined` to send it as it is: always, here. */
  protected compress(_raw: Uint8Array): Uint8Array | undefined {
    return undefined;
  }
}

export interface DecodeStats {
  /** Bytes received on the channel, headers included. */
  wireBytes: number;
  messages: number;
  /** Frames and messages that did not fit and were dropped (after a corrupt frame: every frame). */
  dropped: number;
}

/**
 * Reads frames back into messages without inflating: the visitor's reader (nothing compressed is sent to it). A
 * compressed message is dropped whole, and so is one the advisor does not send (`parsePeerToVisitor`, no valibot);
 * `FrameDecoder` (`framing-deflate.ts`) inflates, and takes every peer message.
 */
export class FrameReader {
  readonly stats: DecodeStats = { wireBytes: 0, messages: 0, dropped: 0 };
  #onMessage: (message: PeerMessage) => void;
  #onCorrupt: (reason: string) => void;
  #corrupt = false;
  /** How many messages came before this one (for the reasons given to `onCorrupt`). */
  #number = 0;
  /** The message being collected: its frame count (0: none), the next index, whether it is compressed. */
  #count = 0;
  #index = 0;
  #compressed = false;
  /** The message being collected is compressed and this reader cannot inflate it: its frames are only counted. */
  #skip = false;
  #parts: Uint8Array[] = [];
  #size = 0;

  /**
   * `onMessage` gets every message, in order. `onCorrupt` is called once, at the first frame that leaves the
   * stream unusable; from then on every frame is dropped, and the owner should close the channel.
   */
  constructor(onMessage: (message: PeerMessage) => void, onCorrupt: (reason: string) => void = () => undefined) {
    this.#onMessage = onMessage;
    this.#onCorrupt = onCorrupt;
  }

  /** True once a frame broke the stream: nothing more will be delivered. */
  get corrupt(): boolean {
    return this.#corrupt;
  }

  /** Takes one frame as it came off the data channel. Messages are delivered in order, synchronously. Never throws. */
  push(data: ArrayBuffer | Uint8Array): void {
    const frame = data instanceof Uint8Array ? data : new Uint8Array(data);
    this.stats.wireBytes += frame.byteLength;
    if (this.#corrupt) {
      this.stats.dropped += 1;
      return;
    }
    const read = readFrame(frame);
    if ('error' in read) return this.#poison(read.error);
    const { compressed, index, count, payload } = read;
    const number = this.#number;
    if (index === 0) {
      if (this.#count !== 0) return this.#poison(`message ${number} started before the last frame of the previous one`);
      this.#count = count;
      this.#compressed = compressed;
      this.#skip = false;
      this.#parts = [];
      this.#size = 0;
    } else if (index !== this.#index || count !== this.#count || compressed !== this.#compressed) {
      return this.#poison(`frame ${index} of ${count} out of sequence`);
    }
    this.#index = index + 1;
    const last = this.#index === count;
    if (!compressed) {
      this.collect(payload.slice());
    } else if (!this.#skip) {
      try {
        this.#skip = !this.inflate(payload, last);
      } catch {
        return this.#poison(`message ${number} does not inflate`);
      }
    }
    if (this.#size > MAX_MESSAGE_BYTES) return this.#poison(`message ${number} larger than ${MAX_MESSAGE_BYTES} bytes`);
    if (!last) return;

    const body = concat(this.#parts, this.#size);
    this.#parts = [];
    this.#size = 0;
    this.#count = 0;
    this.#number += 1;
    if (this.#skip) this.stats.dropped += 1;
    else this.#deliver(body, number, compressed);
  }

  /** Resolves once every frame pushed so far has been delivered: at once, decoding is synchronous. */
  settled(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * Puts one frame's payload of a compressed message through the channel's inflater, which hands what comes out
   * to `collect()`; throws when it does not inflate. False when this reader has no inflater.
   */
  protected inflate(_payload: Uint8Array, _last: boolean): boolean {
    return false;
  }

  /** A peer message this side takes, or `undefined`: those the advisor sends, here. */
  protected parse(json: unknown): PeerMessage | undefined {
    return parsePeerToVisitor(json);
  }

  /** A piece of the message being collected. */
  protected collect(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.#parts.push(chunk);
    this.#size += chunk.length;
  }

  #deliver(body: Uint8Array, number: number, compressed: boolean): void {
    let json: unknown;
    try {
      json = JSON.parse(text.decode(body));
    } catch {
      // DEFLATE has no checksum: a stream out of step still inflates, into something that is not JSON.
      if (compressed) this.#poison(`message ${number} inflates to something that is not JSON`);
      else this.stats.dropped += 1;
      return;
    }
    const message = this.parse(json);
    if (message === undefined) {
      // Not a message we know (a newer peer, say): dropped, but the stream is intact.
      this.stats.dropped += 1;
      return;
    }
    this.stats.messages += 1;
    try {
      this.#onMessage(message);
    } catch {
      // The owner's handler failed on this message; the channel itself is fine.
      this.stats.dropped += 1;
    }
  }

  #poison(reason: string): void {
    this.stats.dropped += 1;
    this.#corrupt = true;
    this.#parts = [];
    this.#size = 0;
    this.#count = 0;
    try {
      this.#onCorrupt(reason);
    } catch {
      // Reporting must not turn a bad frame into an exception on the channel.
    }
  }
}
