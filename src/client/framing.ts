/**
 * Framing for the co-browse data channel: a message (JSON) becomes one or more binary frames of at most
 * `PEER_FRAME_BYTES` and comes back whole on the other side.
 *
 * Compression is one raw DEFLATE stream per data channel (fflate's streaming `Deflate`/`Inflate`): every
 * compressed message of the channel goes through the same compressor, which keeps its 32 KiB window from message
 * to message and is sync-flushed after each one (zlib's `Z_SYNC_FLUSH`: an empty stored block that ends on a byte
 * boundary), so each message inflates completely on arrival while rrweb's small, repetitive batches shrink to a
 * few bytes each. As in WebSocket's permessage-deflate (RFC 7692, 7.2.1), the four bytes every flush ends with
 * (`00 00 FF FF`) are left off the wire and put back by the decoder. An encoder and a decoder therefore belong to
 * exactly one data channel: a new channel means a new pair, both fresh.
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
import { Deflate, Inflate } from 'fflate';
import { PEER_FRAME_BYTES } from '../protocol/limits.js';
import { parsePeerMessage } from '../protocol/peer.js';
import type { PeerMessage } from '../protocol/peer.js';

const COMPRESSED = 1;
const SEVERAL = 2;
/** Header of a message's only frame, and of each frame of a message that needs several. */
const SINGLE_HEADER = 1;
const MULTI_HEADER = 5;
const SINGLE_PAYLOAD = PEER_FRAME_BYTES - SINGLE_HEADER;
const PAYLOAD = PEER_FRAME_BYTES - MULTI_HEADER;
/**
 * Messages shorter than this go as they are, outside the stream (`bye`, `snapshot`, a ping: a dozen bytes to
 * save at most). Everything else is compressed, pointer and pong too (about 50 bytes of JSON, some 15 compressed):
 * that costs some 50 µs per message, nothing next to the 20 ms a batch waits anyway.
 */
const COMPRESS_FROM = 40;
/** The largest message (JSON bytes) an encoder sends and a decoder inflates: a full snapshot of a very large page. */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/** Frames of the largest message; deflate may add a little to incompressible data (5 bytes per stored block). */
const MAX_FRAMES = Math.ceil((MAX_MESSAGE_BYTES + MAX_MESSAGE_BYTES / 1024 + 1024) / PAYLOAD);
/** Input goes to the compressor in pieces of this size: its buffer stays at 96 KiB whatever the message. */
const DEFLATE_CHUNK = 64 * 1024;
/** What every sync flush ends with, the empty stored block's LEN and NLEN: not sent, the decoder adds it. */
const FLUSH_MARK = [0x00, 0x00, 0xff, 0xff] as const;
const FLUSH_TAIL = new Uint8Array(FLUSH_MARK);
/**
 * Level 6 (zlib's default) and a 2^16-entry hash table (`mem` 4: 128 KiB instead of fflate's streaming default of
 * 2 MiB): the messages are small, the window is what matters.
 */
const DEFLATE_OPTIONS = { level: 6, mem: 4 } as const;

const utf8 = new TextEncoder();
const text = new TextDecoder('utf-8', { fatal: true });

function concat(parts: Uint8Array[], size: number): Uint8Array {
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
  if (frame.byteLength < SINGLE_HEADER || frame.byteLength > PEER_FRAME_BYTES) return { error: `frame of ${frame.byteLength} bytes` };
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

export class FrameEncoder {
  #out: Uint8Array[] = [];
  #size = 0;
  #deflate = new Deflate(DEFLATE_OPTIONS, (chunk) => {
    if (chunk.length === 0) return;
    this.#out.push(chunk);
    this.#size += chunk.length;
  });

  /**
   * The frames of one message, in order. Synchronous: frames of two messages can never interleave. A message
   * too large for the channel throws a `RangeError` before it touches the stream (the encoder stays usable).
   */
  encode(message: PeerMessage): Uint8Array[] {
    const raw = utf8.encode(JSON.stringify(message));
    if (raw.length > MAX_MESSAGE_BYTES) throw new RangeError('LOTSE_ERR_TOO_LONG: message too large for the data channel');
    const compress = raw.length >= COMPRESS_FROM;
    const body = compress ? this.#compress(raw) : raw;
    const flags = compress ? COMPRESSED : 0;
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

  #compress(raw: Uint8Array): Uint8Array {
    for (let offset = 0; offset < raw.length; offset += DEFLATE_CHUNK) {
      this.#deflate.push(raw.subarray(offset, offset + DEFLATE_CHUNK));
    }
    this.#syncFlush();
    const body = concat(this.#out, this.#size);
    this.#out = [];
    this.#size = 0;
    const end = body.length - FLUSH_MARK.length;
    if (end < 0 || FLUSH_MARK.some((byte, i) => body[end + i] !== byte)) {
      throw new Error('LOTSE_ERR_INVALID_STATE: the compressor did not end the message on a sync flush');
    }
    return body.subarray(0, end);
  }

  /**
   * Compresses everything pushed so far and ends it with an empty stored block at a byte boundary (zlib's
   * `Z_SYNC_FLUSH`), so that the other side can inflate all of it now.
   *
   * fflate 0.8.3's own `flush(true)` puts that block's LEN/NLEN one byte off whenever the last block does not end
   * near a byte boundary (101arrowz/fflate#267, fix proposed in #286): zlib rejects the stream and fflate's inflater
   * silently mis-decodes it. So: `flush(false)`, which compresses the pending input and keeps the last partial byte
   * back in the stream state (`s.r` = byte << 3 | bits used), then the stored block written here, as `flush(true)`
   * is meant to. Should a later fflate keep its state elsewhere, this falls back to its own `flush(true)`
   * (the tests decode every flush with zlib, so a broken one does not go unnoticed).
   */
  #syncFlush(): void {
    this.#deflate.flush(false);
    const state = (this.#deflate as unknown as { s?: { r?: unknown } }).s;
    if (typeof state?.r !== 'number') {
      // Not the state this was written for: an empty block more, but fflate's own sync flush.
      this.#deflate.flush(true);
      return;
    }
    const r = state.r;
    const bits = r & 7;
    // BFINAL 0 and BTYPE 00 are three zero bits after the partial byte's used bits; then LEN 0000, NLEN FFFF.
    const pad = bits + 3 > 8 ? 2 : 1;
    const block = new Uint8Array(pad + FLUSH_MARK.length);
    block[0] = r >> 3;
    block.set(FLUSH_MARK, pad);
    state.r = 0;
    this.#out.push(block);
    this.#size += block.length;
  }
}

export interface DecodeStats {
  /** Bytes received on the channel, headers included. */
  wireBytes: number;
  messages: number;
  /** Frames and messages that did not fit and were dropped (after a corrupt frame: every frame). */
  dropped: number;
}

export class FrameDecoder {
  readonly stats: DecodeStats = { wireBytes: 0, messages: 0, dropped: 0 };
  #onMessage: (message: PeerMessage) => void;
  #onCorrupt: (reason: string) => void;
  #corrupt = false;
  #inflate: Inflate;
  /** How many messages came before this one (for the reasons given to `onCorrupt`). */
  #number = 0;
  /** The message being collected: its frame count (0: none), the next index, whether it is compressed. */
  #count = 0;
  #index = 0;
  #compressed = false;
  #parts: Uint8Array[] = [];
  #size = 0;

  /**
   * `onMessage` gets every message, in order. `onCorrupt` is called once, at the first frame that leaves the
   * stream unusable; from then on every frame is dropped, and the owner should close the channel.
   */
  constructor(onMessage: (message: PeerMessage) => void, onCorrupt: (reason: string) => void = () => undefined) {
    this.#onMessage = onMessage;
    this.#onCorrupt = onCorrupt;
    this.#inflate = new Inflate((chunk) => {
      if (chunk.length === 0) return;
      this.#parts.push(chunk);
      this.#size += chunk.length;
    });
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
      this.#parts = [];
      this.#size = 0;
    } else if (index !== this.#index || count !== this.#count || compressed !== this.#compressed) {
      return this.#poison(`frame ${index} of ${count} out of sequence`);
    }
    this.#index = index + 1;
    const last = this.#index === count;
    if (compressed) {
      try {
        // With the last frame, the end of the flush that was left off the wire: then all of the message comes out.
        this.#inflate.push(last ? concat([payload, FLUSH_TAIL], payload.length + FLUSH_TAIL.length) : payload);
      } catch {
        return this.#poison(`message ${number} does not inflate`);
      }
    } else {
      this.#parts.push(payload.slice());
      this.#size += payload.length;
    }
    if (this.#size > MAX_MESSAGE_BYTES) return this.#poison(`message ${number} larger than ${MAX_MESSAGE_BYTES} bytes`);
    if (!last) return;

    const body = concat(this.#parts, this.#size);
    this.#parts = [];
    this.#size = 0;
    this.#count = 0;
    this.#number += 1;
    this.#deliver(body, number, compressed);
  }

  /** Resolves once every frame pushed so far has been delivered: at once, decoding is synchronous. */
  settled(): Promise<void> {
    return Promise.resolve();
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
    const message = parsePeerMessage(json);
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
