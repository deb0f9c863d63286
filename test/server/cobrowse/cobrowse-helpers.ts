/** Fixtures for the co-browse tests: an advisor after hello, and a session brought to each state. */
import assert from 'node:assert/strict';
import type {
  AdvisorToServer,
  ServerToAdvisor,
  ServerToVisitor,
  VisitorToServer,
} from '../../../src/protocol/messages.js';
import { defaults } from '../../../src/server/config/lotse-config.js';
import type { Client, ClientOptions, Harness } from '../helpers.js';

export type VisitorClient = Client<ServerToVisitor, VisitorToServer>;
export type AdvisorClient = Client<ServerToAdvisor, AdvisorToServer>;
export type Msg<C extends { type: string }, T extends C['type']> = Extract<C, { type: T }>;

export const COBROWSE_TERMS = defaults.cobrowse.terms.version;

export async function readyAdvisor(h: Harness, id = 'adv-a', name = 'Anna Beraterin'): Promise<AdvisorClient> {
  const advisor = await h.advisor(id, name);
  advisor.send({ type: 'advisor.hello', chats: [] });
  await advisor.next('advisor.welcome');
  await advisor.next('queue.snapshot');
  return advisor;
}

export async function newCode(advisor: AdvisorClient): Promise<Msg<ServerToAdvisor, 'cobrowse.code'>> {
  advisor.send({ type: 'cobrowse.code.create' });
  return advisor.next('cobrowse.code');
}

export interface Joined {
  advisor: AdvisorClient;
  visitor: VisitorClient;
  sessionId: string;
  webcode: string;
}

/** A session the visitor joined with the webcode. */
export async function joinedSession(
  h: Harness,
  options: { advisor?: AdvisorClient; visitor?: ClientOptions } = {},
): Promise<Joined> {
  const advisor = options.advisor ?? (await readyAdvisor(h));
  const code = await newCode(advisor);
  const visitor = await h.visitor(options.visitor);
  visitor.send({ type: 'cobrowse.join', webcode: code.webcode });
  const pending = await visitor.next('cobrowse.pending');
  assert.equal(pending.sessionId, code.sessionId);
  assert.equal((await advisor.next('cobrowse.joined')).sessionId, code.sessionId);
  return { advisor, visitor, sessionId: code.sessionId, webcode: code.webcode };
}

export interface Consented extends Joined {
  startCode: string;
}

export async function consentedSession(h: Harness, options: { advisor?: AdvisorClient } = {}): Promise<Consented> {
  const joined = await joinedSession(h, options);
  joined.visitor.send({ type: 'cobrowse.consent', sessionId: joined.sessionId, termsVersion: COBROWSE_TERMS });
  const { startCode } = await joined.visitor.next('cobrowse.startcode');
  await joined.advisor.next('cobrowse.consented');
  return { ...joined, startCode };
}

export interface Live extends Consented {
  visitorStarted: Msg<ServerToVisitor, 'cobrowse.started'>;
  advisorStarted: Msg<ServerToAdvisor, 'cobrowse.started'>;
}

export async function liveSession(h: Harness, options: { advisor?: AdvisorClient } = {}): Promise<Live> {
  const consented = await consentedSession(h, options);
  consented.advisor.send({ type: 'cobrowse.start', sessionId: consented.sessionId, startCode: consented.startCode });
  const visitorStarted = await consented.visitor.next('cobrowse.started');
  const advisorStarted = await consented.advisor.next('cobrowse.started');
  return { ...consented, visitorStarted, advisorStarted };
}

/** A start code of the right shape that is not `right`. */
export function wrongStartCode(right: string): string {
  return right.startsWith('A') ? `C${right.slice(1)}` : `A${right.slice(1)}`;
}

/** A webcode that is not among `active`. */
export function unusedWebcode(active: readonly string[]): string {
  for (let n = 0; ; n++) {
    const code = String(n).padStart(6, '0');
    if (!active.includes(code)) return code;
  }
}
