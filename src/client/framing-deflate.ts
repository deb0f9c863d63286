/**
 * The compression of the co-browse data channel (see `framing.ts` for the frames): one raw DEFLATE stream per data
 * channel, fflate's streaming `Deflate` on the visitor's side, `Inflate` on the advisor's. Every compressed message
 * of the channel goes through the same compressor, which keeps its 32 KiB window from message to message and is
 * sync-flushed after each one (zlib's `Z_SYNC_FLUSH`: an empty stored block that ends on a byte boundary), so each
 * message inflates completely on arrival while rrweb's small, repetitive batches shrink to a few bytes each. As in
 * WebSocket's permessage-deflate (RFC 7692, 7.2.1), the four bytes every flush ends with (`00 00 FF FF`) are left
 * off the wire and put back by the decoder. An encoder and a decoder therefore belong to exactly one data channel:
 * a new channel means a new pair, both fresh.
 *
 * The only module that imports fflate. Each side's bundle keeps only its class: the visitor's `FrameEncoder`, the
 * advisor's `FrameDecoder`.
 */
import { Deflate, Inflate } from 'fflate';
import { parsePeerMessage } from '../protocol/peer.js';
import type { PeerMessage } from '../protocol/peer.js';
import { FrameReader, FrameWriter, concat } from './framing.js';

/**
 * The visitor's messages shorter than this go as they are, outside the stream (`bye`: a dozen bytes to save at
 * most). Everything else is compressed, pong too (about 50 bytes of JSON, some 15 compressed): that costs some
 * 50 µs per message, nothing next to the 20 ms a batch waits anyway.
 */
const COMPRESS_FROM = 40;
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

/** The visitor's encoder: every message from `COMPRESS_FROM` bytes on goes through the channel's DEFLATE stream. */
export class FrameEncoder extends FrameWriter {
  #out: Uint8Array[] = [];
  #size = 0;
  #deflate = new Deflate(DEFLATE_OPTIONS, (chunk) => {
    if (chunk.length === 0) return;
    this.#out.push(chunk);
    this.#size += chunk.length;
  });

  protected override compress(raw: Uint8Array): Uint8Array | undefined {
    if (raw.length < COMPRESS_FROM) return undefined;
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

/** The advisor's decoder: inflates compressed messages from the channel's one DEFLATE stream; any peer message. */
export class FrameDecoder extends FrameReader {
  #inflate = new Inflate((chunk) => this.collect(chunk));

  protected override parse(json: unknown): PeerMessage | undefined {
    return parsePeerMessage(json);
  }

  protected override inflate(payload: Uint8Array, last: boolean): boolean {
    // With the last frame, the end of the flush that was left off the wire: then all of the message comes out.
    this.#inflate.push(last ? concat([payload, FLUSH_TAIL], payload.length + FLUSH_TAIL.length) : payload);
    return true;
  }
}
