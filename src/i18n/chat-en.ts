/**
 * The English texts of the visitor's chat pop-up: a module of their own, loaded by `import()` only on an English
 * page (`loadChatText('en')` in `chat.ts`), so that the German pages, nearly all of them, do not carry them.
 */
import { MAX_NICKNAME_LENGTH, MIN_NICKNAME_LENGTH } from '../protocol/limits.js';
import type { ChatText } from './chat.js';
import type { LaterText } from './chat-later.js';
import { minutes } from './minutes.js';

export const en: ChatText = {
  title: 'Advice chat',
  collapse: 'Minimise chat',
  termsHeading: 'Terms of use and participation',
  termsLoading: 'Loading the terms of use …',
  termsFailed: 'The terms of use could not be loaded. Please check your internet connection.',
  termsRetry: 'Try again',
  termsConfirm: 'I have read and accept the terms of use and participation.',
  termsAccept: 'Accept and continue',
  nicknameLabel: 'Your nickname',
  nicknameHint: `A name of your choice, ${MIN_NICKNAME_LENGTH} to ${MAX_NICKNAME_LENGTH} characters. Please do not use your real name.`,
  nicknameErrors: {
    short: `Please enter at least ${MIN_NICKNAME_LENGTH} characters.`,
    long: `Please enter at most ${MAX_NICKNAME_LENGTH} characters.`,
    characters:
      'The nickname must not contain control characters or invisible characters (such as line breaks, zero-width spaces or text direction marks).',
  },
  nicknameSubmit: 'Begin chat',
  waiting: 'We are connecting you with an advisor. Please wait a moment.',
  advisor: (name: string) => `You are chatting with ${name}`,
  queue: {
    place: (position: number) =>
      position === 1 ? 'Your request is next in the queue.' : `Your request is number ${position} in the queue.`,
    wait: (seconds: number) =>
      seconds < 60
        ? 'Estimated wait: less than a minute.'
        : `Estimated wait: about ${minutes(seconds, 'minute', 'minutes')}.`,
  },
  elsewhere: 'The chat is open in another tab.',
  takeOver: 'Continue here',
  sound: 'Sound for new messages',
  read: 'Read',
  connection: {
    idle: '',
    connecting: 'Connecting …',
    connected: 'Connected',
    reconnecting: 'Connection interrupted. Reconnecting …',
    closed: 'Disconnected',
  },
  messages: 'Messages',
  you: 'You',
  pending: 'sending …',
  joined: (name: string) => `${name} has joined the chat.`,
  left: 'The advisor has left the chat.',
  transferred: (name: string) => `You are being connected to ${name}.`,
  endedBy: {
    visitor: 'You ended the chat.',
    advisor: 'The advisor ended the chat.',
    timeout: 'The chat was ended after a period of inactivity.',
    gone: 'The chat was ended because you were away from the page for too long.',
    server: 'The chat was ended by the system.',
  },
  typing: (name: string) => `${name} is typing …`,
  someone: 'The advisor',
  composerLabel: 'Your message',
  send: 'Send',
  end: 'End chat',
  member: {
    signedIn: 'Signed in to the member area. The advisor sees your name and insurance number.',
  },
};

/** The English texts of the pop-up's later part (`chat-later.ts`): with the rest, as English pages are few. */
export const later: LaterText = {
  ended: 'The chat has ended. All data of this chat has been deleted on the server.',
  lost: 'This chat is no longer available: the page was closed or the connection interrupted for too long. The chat has ended; nothing of it is stored on the server.',
  ending:
    'The chat has ended. It is deleted on the server as soon as the connection is back, and by itself within minutes at the latest.',
  member: {
    ended: 'The chat has ended. The transcript is kept as described in the terms of use.',
    ending: 'The chat has ended. The server is told as soon as the connection is back.',
    lost: 'This chat is no longer available: the page was closed or the connection interrupted for too long. The chat has ended.',
    refused: 'The chat could not take place.',
  },
  copy: 'Copy transcript',
  copied: 'The transcript has been copied to the clipboard.',
  transcriptLabel: 'Transcript',
  transcriptHint: 'The text is selected. Press Ctrl+C (⌘+C on a Mac) to copy it.',
  close: 'Close',

  problems: {
    LOTSE_ERR_TOO_LONG: 'The message is too long and was not sent.',
    LOTSE_ERR_RATE_LIMITED: 'You are typing very fast. The message will be sent again in a moment.',
    LOTSE_ERR_UNKNOWN_CHAT: 'This chat no longer exists on the server.',
    LOTSE_ERR_CHAT_ENDED: 'The chat has already ended.',
    LOTSE_ERR_TERMS_OUTDATED: 'The terms of use have changed. Please close the chat and start it again.',
    LOTSE_ERR_CHAT_FULL: 'The chat has reached its maximum length and was ended.',
    LOTSE_ERR_INVALID_CODE: 'This code is not valid.',
    LOTSE_ERR_BUSY: 'Too many requests are waiting right now. Please try again in a few minutes.',
    LOTSE_ERR_CLOSED: 'The chat is closed right now. Please try again during our opening hours.',
    LOTSE_ERR_OUTBOX_FULL: 'Too many messages are waiting for the connection. Please wait a moment.',
    LOTSE_ERR_TOKEN_EXPIRED:
      'Your sign-in has expired. Please sign in again. Your chat and any unsent messages are kept.',
    LOTSE_ERR_TOKEN_INVALID:
      'Your sign-in to the member area could not be confirmed. Please reload the page or sign in again.',
    LOTSE_ERR_TOO_MANY_WAITING:
      'Several chats from your connection are already waiting for an advisor. Please use one of them or try again later.',
    LOTSE_ERR_TOKEN_USED: 'A chat was started with this sign-in already. Please reload the page to start a new one.',
    closed: 'The server closed the connection.',
    other: 'Something went wrong. Please try again.',
  },
};
