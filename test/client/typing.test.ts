import { describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { TypingIndicator, TypingSender } from '../../src/client/typing.js';
import { TYPING_DISPLAY_MS, TYPING_IDLE_MS, TYPING_THROTTLE_MS } from '../../src/protocol/limits.js';

describe('typing indicator', () => {
  it('sender: true at most once per throttle window, false after idle', () => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'] });
    try {
      const sent: boolean[] = [];
      const sender = new TypingSender(
        (typing) => sent.push(typing),
        () => Date.now(),
      );
      sender.input();
      sender.input();
      mock.timers.tick(TYPING_THROTTLE_MS - 1);
      sender.input();
      assert.deepEqual(sent, [true]);
      mock.timers.tick(1);
      sender.input();
      assert.deepEqual(sent, [true, true]);
      mock.timers.tick(TYPING_IDLE_MS);
      assert.deepEqual(sent, [true, true, false]);
      sender.stop();
      assert.deepEqual(sent, [true, true, false], 'no second false');
    } finally {
      mock.timers.reset();
    }
  });

  it('receiver: clears by itself when the other side goes silent', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      let changes = 0;
      const indicator = new TypingIndicator(() => (changes += 1));
      indicator.set(true);
      assert.equal(indicator.typing, true);
      mock.timers.tick(TYPING_DISPLAY_MS - 1);
      indicator.set(true); // refreshed
      mock.timers.tick(TYPING_DISPLAY_MS - 1);
      assert.equal(indicator.typing, true);
      mock.timers.tick(1);
      assert.equal(indicator.typing, false);
      assert.equal(changes, 2);
    } finally {
      mock.timers.reset();
    }
  });
});
