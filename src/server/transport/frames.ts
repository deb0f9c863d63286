/**
 * Outbound frames of the gateway: `encode` (`protocol/envelope.ts`), except that an appended chat event is turned
 * into JSON once for all the frames that carry it. The hub sends each event twice at least (the visitor's
 * `chat.event`, which is also the sender's confirmation, and the advisor's, with `chatId`), and the event with its
 * text is most of each frame: the frames are put together around the event's one JSON text instead, in the order
 * of `encode`'s output (`v`, `type`, `chatId` when there is one, `seq`, `event`). The same bytes, about half the
 * encoding time of a relayed message (`scripts/bench-relay.ts`).
 *
 * It remembers one event (the last one encoded), and only until the end of the event loop's turn, so that nothing
 * of a chat stays reachable from here after the chat's end.
 */
import { encode } from '../../protocol/envelope.js';
import type { Outgoing } from '../../protocol/envelope.js';
import { PROTOCOL_VERSION } from '../../protocol/limits.js';
import type { ServerToAdvisor, ServerToVisitor } from '../../protocol/messages.js';

const HEAD = `{"v":${JSON.stringify(PROTOCOL_VERSION)},"type":"chat.event",`;

type Outbound = Outgoing<ServerToVisitor> | Outgoing<ServerToAdvisor>;

export class FrameEncoder {
  #event: object | undefined;
  #eventJson = '';
  readonly #forget = (): void => {
    this.#event = undefined;
    this.#eventJson = '';
  };

  /** The frame of one message, as `encode` writes it. */
  encode(message: Outbound): string {
    if (message.type !== 'chat.event') return encode<ServerToVisitor | ServerToAdvisor>(message);
    const { seq, event } = message;
    if (event !== this.#event) {
      if (this.#event === undefined) setImmediate(this.#forget);
      this.#event = event;
      this.#eventJson = JSON.stringify(event);
    }
    const chatId = 'chatId' in message ? `"chatId":${JSON.stringify(message.chatId)},` : '';
    return `${HEAD}${chatId}"seq":${JSON.stringify(seq)},"event":${this.#eventJson}}`;
  }
}
