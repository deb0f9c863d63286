/** A session id names the node that holds it when there are other nodes; one node alone keeps the plain id. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newSessionId, ownerOfSession } from '../../../src/server/cobrowse/session.js';

/** The protocol's pattern of an id (`protocol/hand-parse.ts`, `protocol/cobrowse.ts`). */
const ID = /^[A-Za-z0-9_-]{8,64}$/;
const NODE = '0b5c1e2a-7d3f-4c0d-9e1f-2a3b4c5d6e7f';

test('a session id names its owner node, and stays a valid protocol id', () => {
  for (let i = 0; i < 200; i++) {
    const sessionId = newSessionId(NODE);
    assert.equal(ownerOfSession(sessionId), NODE);
    assert.match(sessionId, ID);
  }
});

test('one node alone: a plain id of 21 characters that names no owner', () => {
  for (let i = 0; i < 200; i++) {
    const sessionId = newSessionId();
    assert.equal(sessionId.length, 21);
    assert.equal(ownerOfSession(sessionId), undefined);
  }
  assert.equal(ownerOfSession(newSessionId('local')), 'local');
  assert.equal(ownerOfSession(newSessionId('not a node id!')), undefined, 'a node id it cannot name: none');
  assert.equal(ownerOfSession('short_x'), undefined);
});
