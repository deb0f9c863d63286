/**
 * Team snippets changed (`/admin/snippets`): every connected advisor's console gets the new list at once, not only
 * at its next reconnect or when it opens the list. The change is told on the node bus (topic `snippets`, heard by
 * every node, this one too, as the callback desk does), and each node sends `snippets.list` to its own ready
 * advisor sockets, each with that advisor's own snippets beside the team's.
 */
import type { AdvisorPeer } from '../chat/chat.js';
import type { NodeMessages } from '../cluster/node-messages.js';
import type { Logger } from '../log.js';
import { pushSnippetLists } from './snippets-advisor.js';
import type { SnippetDeps } from './snippets-advisor.js';

const TOPIC = 'snippets';

export interface SnippetNewsOptions {
  nodes: NodeMessages;
  snippets: SnippetDeps;
  /** This node's ready advisor sockets, by advisor id. */
  ready: () => Map<string, AdvisorPeer[]>;
  log: Logger;
}

export class SnippetNews {
  readonly #nodes: NodeMessages;

  constructor(options: SnippetNewsOptions) {
    this.#nodes = options.nodes;
    options.nodes.onTopic(TOPIC, () => {
      pushSnippetLists(options.snippets, options.ready()).catch(() => options.log.error('snippets.push_failed'));
    });
  }

  /** The team's snippets changed: every node sends its advisors the list again. */
  changed(): void {
    this.#nodes.publish(TOPIC, { kind: 'snippets.changed' });
  }
}
