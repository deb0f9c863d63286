// The one entry the visitor's chat keeps in the tab: read back only when every field has the right shape and it
// names this server; anything else is removed, never half-used. Storage that throws means no resume, no error.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHAT_STORAGE_KEY, clearStoredChat, readStoredChat, writeStoredChat } from '../../src/client/chat-storage.js';
import type { StoredChat } from '../../src/client/chat-storage.js';

const SERVER = 'https://chat.example.de/';

class MemoryStorage implements Storage {
  #items = new Map<string, string>();
  get length(): number {
    return this.#items.size;
  }
  clear(): void {
    this.#items.clear();
  }
  getItem(key: string): string | null {
    return this.#items.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this.#items.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.#items.delete(key);
  }
  setItem(key: string, value: string): void {
    this.#items.set(key, value);
  }
}

const valid: StoredChat = {
  server: SERVER,
  start: { startId: 'start-00001', termsVersion: '2026-11', lang: 'de', nickname: 'Kim' },
  member: false,
  chatId: 'chat-00001',
  resumeToken: 'r'.repeat(32),
  seen: 4,
  open: true,
  sound: false,
  outbox: [{ id: 'msg-000001', text: 'Noch da?' }],
};

test('what is written is read back as it was, and cleared', () => {
  const storage = new MemoryStorage();
  writeStoredChat(valid, storage);
  assert.deepEqual(readStoredChat(SERVER, storage), valid);
  clearStoredChat(storage);
  assert.equal(storage.length, 0);
});

test('a start not yet answered (no chat id) is a valid entry; a member chat has no nickname', () => {
  const storage = new MemoryStorage();
  const { chatId: _c, resumeToken: _r, ...unanswered } = valid;
  writeStoredChat(
    { ...unanswered, member: true, start: { startId: 'start-00001', termsVersion: '2026-11', lang: 'en' } },
    storage,
  );
  assert.equal(readStoredChat(SERVER, storage)?.member, true);
});

test("another server's entry is left alone and not taken", () => {
  const storage = new MemoryStorage();
  writeStoredChat(valid, storage);
  assert.equal(readStoredChat('https://other.example/', storage), undefined);
  assert.equal(storage.length, 1);
});

test('every malformed entry is removed and not taken', () => {
  const broken: unknown[] = [
    'not json',
    null,
    [],
    { ...valid, server: 42 },
    { ...valid, start: undefined },
    { ...valid, start: { ...valid.start, startId: 'x' } },
    { ...valid, start: { ...valid.start, lang: 'fr' } },
    { ...valid, start: { ...valid.start, nickname: 'x'.repeat(41) } },
    { ...valid, member: 'no' },
    { ...valid, seen: -1 },
    { ...valid, seen: 1.5 },
    { ...valid, open: 1 },
    { ...valid, chatId: undefined },
    { ...valid, resumeToken: 'short' },
    { ...valid, chatId: 'bad id!' },
    { ...valid, outbox: 'none' },
    { ...valid, outbox: [{ id: 'msg-000001', text: '' }] },
    { ...valid, outbox: [{ id: 'msg-000001', text: 'x'.repeat(2001) }] },
    { ...valid, outbox: [{ id: '!', text: 'hi' }] },
    {
      ...valid,
      outbox: Array.from({ length: 51 }, (_, i) => ({ id: `msg-${String(i).padStart(6, '0')}`, text: 'hi' })),
    },
  ];
  for (const entry of broken) {
    const storage = new MemoryStorage();
    storage.setItem(CHAT_STORAGE_KEY, typeof entry === 'string' ? entry : JSON.stringify(entry));
    assert.equal(readStoredChat(SERVER, storage), undefined, JSON.stringify(entry).slice(0, 80));
    assert.equal(storage.length, 0, 'removed');
  }
});

test('storage that throws means no resume and no error', () => {
  const throwing = new Proxy(new MemoryStorage(), {
    get: () => () => {
      throw new DOMException('denied', 'SecurityError');
    },
  });
  assert.doesNotThrow(() => writeStoredChat(valid, throwing));
  assert.equal(readStoredChat(SERVER, throwing), undefined);
  assert.doesNotThrow(() => clearStoredChat(throwing));
});
