/**
 * The chat message, by far the most frequent frame a server reads, read by hand when it fits: what its schema
 * (`messages.ts`, `chat.message` of either side) would give, its fields in the schema's order and its text
 * trimmed, without running valibot's pipes for each message (`parse.ts`; about a microsecond a message, a fifth of
 * the frame's parse, in `scripts/bench-relay.ts`). A frame that does not fit gets `undefined` and goes to the schema,
 * which refuses it with its usual error: this only takes a shortcut for what the schema accepts, and a test feeds
 * both the same frames.
 */
import { CHAT_ID_PATTERN, CLIENT_ID_PATTERN, MAX_TEXT_LENGTH, PROTOCOL_VERSION } from './limits.js';
import { TEXT_FORBIDDEN } from './text.js';

/** The text as the schema's pipe outputs it (`v.string()`, `v.trim()`, length 1 … max, no forbidden character). */
function textOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  return text.length >= 1 && text.length <= MAX_TEXT_LENGTH && !TEXT_FORBIDDEN.test(text) ? text : undefined;
}

/** A visitor's `chat.message` (`{ v, type, id, text }`), or undefined for the schema to judge. */
export function readVisitorChatMessage(
  data: Record<string, unknown>,
): { v: typeof PROTOCOL_VERSION; type: 'chat.message'; id: string; text: string } | undefined {
  const { id } = data;
  if (typeof id !== 'string' || !CLIENT_ID_PATTERN.test(id)) return undefined;
  const text = textOf(data['text']);
  return text === undefined ? undefined : { v: PROTOCOL_VERSION, type: 'chat.message', id, text };
}

/** An advisor's `chat.message` (`{ v, type, chatId, id, text }`), or undefined for the schema to judge. */
export function readAdvisorChatMessage(
  data: Record<string, unknown>,
): { v: typeof PROTOCOL_VERSION; type: 'chat.message'; chatId: string; id: string; text: string } | undefined {
  const { chatId, id } = data;
  if (typeof chatId !== 'string' || !CHAT_ID_PATTERN.test(chatId)) return undefined;
  if (typeof id !== 'string' || !CLIENT_ID_PATTERN.test(id)) return undefined;
  const text = textOf(data['text']);
  return text === undefined ? undefined : { v: PROTOCOL_VERSION, type: 'chat.message', chatId, id, text };
}
