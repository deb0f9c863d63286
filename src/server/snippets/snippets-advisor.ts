/**
 * What an advisor's socket may ask of the canned responses (`protocol/snippets.ts`): the list (the team's and the
 * advisor's own, keyed by the advisor id of the verified token), and saving or deleting their own. Each answer is
 * the whole list again, so a console never has to merge. Without a store the list says `available: false` and a
 * save or delete is refused. When an admin changes the team's (`/admin/snippets`), every ready socket gets the list
 * again unasked (`pushSnippetLists`, through `snippets-news.ts` on every node).
 */
import { ErrorCode } from '../../protocol/errors.js';
import type { AdvisorToServer } from '../../protocol/messages.js';
import type { AdvisorPeer } from '../chat/chat.js';
import type { SnippetsConfig } from '../config/snippets.js';
import type { Db } from '../store/sql.js';
import { SnippetRefusedError, TEAM, addSnippet, listSnippets, removeSnippet, updateSnippet } from './snippet-store.js';

export interface SnippetDeps {
  /** The store, once open; `null` without one. */
  readonly db: () => Db | null;
  readonly limits: SnippetsConfig;
}

export type SnippetMessage = Extract<AdvisorToServer, { type: `snippets.${string}` }>;

function limitsOf(d: SnippetDeps) {
  return { maxTextLength: d.limits.maxTextLength, maxPersonal: d.limits.maxPerAdvisor };
}

async function sendList(d: SnippetDeps, db: Db | null, peer: AdvisorPeer): Promise<void> {
  const limits = limitsOf(d);
  if (db === null) {
    peer.send({ type: 'snippets.list', available: false, team: [], personal: [], limits });
    return;
  }
  const owner = { advisorId: peer.advisor.id };
  const [team, personal] = await Promise.all([listSnippets(db, TEAM), listSnippets(db, owner)]);
  peer.send({ type: 'snippets.list', available: true, team, personal, limits });
}

/**
 * The team's snippets changed: the whole list again to each of these ready sockets (by advisor id), the team's read
 * once, each advisor's own once. Nothing without a store (nothing can have changed).
 */
export async function pushSnippetLists(d: SnippetDeps, ready: Map<string, AdvisorPeer[]>): Promise<void> {
  const db = d.db();
  if (db === null || ready.size === 0) return;
  const team = await listSnippets(db, TEAM);
  const limits = limitsOf(d);
  await Promise.all(
    [...ready].map(async ([advisorId, peers]) => {
      const personal = await listSnippets(db, { advisorId });
      for (const peer of peers) peer.send({ type: 'snippets.list', available: true, team, personal, limits });
    }),
  );
}

function refuse(peer: AdvisorPeer, message: string, ref: string): void {
  peer.send({ type: 'error', code: ErrorCode.SnippetRefused, message, ref });
}

export async function handleSnippetsAdvisor(d: SnippetDeps, peer: AdvisorPeer, message: SnippetMessage): Promise<void> {
  const db = d.db();
  if (message.type !== 'snippets.get') {
    if (db === null) {
      refuse(peer, 'canned responses need a store; this server has none', message.type);
      return;
    }
    const owner = { advisorId: peer.advisor.id };
    try {
      if (message.type === 'snippets.delete') {
        await removeSnippet(db, owner, message.id);
      } else {
        const input = { shortcut: message.shortcut, lang: message.lang, text: message.text };
        if (message.id === undefined) await addSnippet(db, owner, input, d.limits);
        else await updateSnippet(db, owner, message.id, input, d.limits);
      }
    } catch (error) {
      if (!(error instanceof SnippetRefusedError)) throw error;
      refuse(peer, error.message, message.type);
      // The list again: the console shows what is stored, whatever it believed.
    }
  }
  await sendList(d, db, peer);
}
