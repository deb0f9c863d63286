import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { ErrorCode } from '../../../src/protocol/errors.js';
import { startServer } from '../helpers.js';
import type { Harness } from '../helpers.js';
import { liveSession, newCode, readyAdvisor } from './cobrowse-helpers.js';

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

test('a reloaded visitor page resumes within the window: cobrowse.started again on both sides', async () => {
  const h = (harness = await startServer({
    cobrowse: { ice: { turnUrls: ['turn:turn.example-kasse.de:3478'], turnSecret: 's'.repeat(32) } },
  }));
  const { advisor, visitor, sessionId, visitorStarted } = await liveSession(h);
  await visitor.close();

  const reloaded = await h.visitor();
  // A wrong token is refused like a wrong code (and like a session that is over).
  const wrongToken = visitorStarted.resumeToken.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
  reloaded.send({ type: 'cobrowse.resume', sessionId, resumeToken: wrongToken });
  assert.deepEqual(await reloaded.next('error'), {
    v: 1,
    type: 'error',
    code: ErrorCode.InvalidCode,
    message: 'the code is not valid',
    ref: sessionId,
  });

  reloaded.send({ type: 'cobrowse.resume', sessionId, resumeToken: visitorStarted.resumeToken });
  const again = await reloaded.next('cobrowse.started');
  assert.equal(again.initiator, true);
  assert.equal(again.resumeToken, visitorStarted.resumeToken);
  const advisorAgain = await advisor.next('cobrowse.started');
  assert.equal(advisorAgain.initiator, false);
  assert.equal(advisorAgain.iceServers.length, 1);

  // Signalling goes on with the new socket.
  reloaded.send({ type: 'cobrowse.signal', sessionId, signal: '{"type":"offer"}' });
  assert.equal((await advisor.next('cobrowse.signal')).signal, '{"type":"offer"}');
  advisor.send({ type: 'cobrowse.signal', sessionId, signal: '{"type":"answer"}' });
  assert.equal((await reloaded.next('cobrowse.signal')).signal, '{"type":"answer"}');
  assert.equal(h.server.cobrowse.getSession(sessionId)?.timers.resume, undefined);

  // A second reload works the same way.
  await reloaded.close();
  const third = await h.visitor();
  third.send({ type: 'cobrowse.resume', sessionId, resumeToken: visitorStarted.resumeToken });
  await third.next('cobrowse.started');
  await advisor.next('cobrowse.started');
  third.send({ type: 'cobrowse.end', sessionId });
  assert.equal((await advisor.next('cobrowse.ended')).by, 'visitor');
});

test('a resume after the window fails: the session ended by timeout', async () => {
  const h = (harness = await startServer({}, { cobrowseTiming: { resumeMs: 40 } }));
  const { advisor, visitor, sessionId, visitorStarted } = await liveSession(h);
  await visitor.close();
  assert.deepEqual(await advisor.next('cobrowse.ended'), { v: 1, type: 'cobrowse.ended', sessionId, by: 'timeout' });
  const late = await h.visitor();
  late.send({ type: 'cobrowse.resume', sessionId, resumeToken: visitorStarted.resumeToken });
  assert.deepEqual(await late.next('error'), {
    v: 1,
    type: 'error',
    code: ErrorCode.InvalidCode,
    message: 'the code is not valid',
    ref: sessionId,
  });
  assert.equal(h.server.cobrowse.sessionCount, 0);
});

test('an advisor gone longer than advisorGraceSeconds ends the session by timeout', async () => {
  const h = (harness = await startServer({ chat: { advisorGraceSeconds: 0.05 } }));
  const { advisor, visitor, sessionId } = await liveSession(h);
  await advisor.close();
  assert.deepEqual(await visitor.next('cobrowse.ended'), { v: 1, type: 'cobrowse.ended', sessionId, by: 'timeout' });
  assert.equal(h.server.cobrowse.sessionCount, 0);
});

test('an advisor back within the grace period gets cobrowse.started again (and so does the visitor)', async () => {
  const h = (harness = await startServer());
  const { advisor, visitor, sessionId, visitorStarted } = await liveSession(h);
  const offered = await newCode(advisor);
  await advisor.close();

  const back = await h.advisor('adv-a', 'Anna Beraterin');
  back.send({ type: 'advisor.hello', chats: [] });
  const started = await back.next('cobrowse.started');
  assert.deepEqual({ sessionId: started.sessionId, initiator: started.initiator }, { sessionId, initiator: false });
  const visitorAgain = await visitor.next('cobrowse.started');
  assert.equal(visitorAgain.resumeToken, visitorStarted.resumeToken);
  // The console also learns the session it had only offered.
  const code = await back.next('cobrowse.code');
  assert.deepEqual([code.sessionId, code.webcode], [offered.sessionId, offered.webcode]);
  assert.equal(h.server.cobrowse.getSession(sessionId)?.timers.grace, undefined);
  assert.equal(h.server.cobrowse.getSession(offered.sessionId)?.timers.grace, undefined);

  visitor.send({ type: 'cobrowse.signal', sessionId, signal: '{"type":"offer"}' });
  assert.equal((await back.next('cobrowse.signal')).signal, '{"type":"offer"}');
});

test('when the viewing tab closes, another open tab of the same advisor takes over at once', async () => {
  const h = (harness = await startServer());
  const first = await readyAdvisor(h);
  const second = await readyAdvisor(h);
  const { visitor, sessionId } = await liveSession(h, { advisor: first });
  await first.close();
  assert.equal((await second.next('cobrowse.started')).sessionId, sessionId);
  await visitor.next('cobrowse.started');
  second.send({ type: 'cobrowse.signal', sessionId, signal: '{"type":"answer"}' });
  assert.equal((await visitor.next('cobrowse.signal')).signal, '{"type":"answer"}');
  assert.equal(h.server.cobrowse.getSession(sessionId)?.timers.grace, undefined);
});

test("a visitor's socket that reconnects with the session's link open keeps it; a reload or a stale link gets a new one on both sides", async () => {
  const h = (harness = await startServer());
  const { advisor, visitor, sessionId, visitorStarted } = await liveSession(h);
  const { resumeToken } = visitorStarted;
  assert.equal(visitorStarted.link, 1);
  await visitor.close();

  // The same page on a new socket, its data channel still open: only it hears, with the same link.
  const moved = await h.visitor();
  moved.send({ type: 'cobrowse.resume', sessionId, resumeToken, link: 1 });
  assert.equal((await moved.next('cobrowse.started')).link, 1);
  moved.send({ type: 'cobrowse.signal', sessionId, signal: '{"candidate":1}' });
  assert.equal((await advisor.next('cobrowse.signal')).signal, '{"candidate":1}');
  assert.ok(!advisor.history.some((m) => m.type === 'cobrowse.started' && m.link !== 1), 'the console keeps its peer');

  // A link that is not the session's (its channel closed meanwhile): new peers on both sides.
  await moved.close();
  const stale = await h.visitor();
  stale.send({ type: 'cobrowse.resume', sessionId, resumeToken, link: 7 });
  assert.equal((await stale.next('cobrowse.started')).link, 2);
  assert.equal((await advisor.next('cobrowse.started')).link, 2);

  // The console's hello names the link it has open: kept; none (a reloaded console): a new one.
  await advisor.close();
  const console2 = await h.advisor('adv-a', 'Anna Beraterin');
  console2.send({ type: 'advisor.hello', chats: [], cobrowse: [{ sessionId, link: 2 }] });
  assert.equal((await console2.next('cobrowse.started')).link, 2);
  await console2.close();
  const console3 = await h.advisor('adv-a', 'Anna Beraterin');
  console3.send({ type: 'advisor.hello', chats: [], cobrowse: [{ sessionId }] });
  assert.equal((await console3.next('cobrowse.started')).link, 3);
  assert.equal((await stale.next('cobrowse.started')).link, 3);
  assert.deepEqual(
    stale.history.filter((m) => m.type === 'cobrowse.started').map((m) => m.type === 'cobrowse.started' && m.link),
    [2, 3],
    'the visitor was not asked for new peers when the console kept its link',
  );
});
