/** The metrics' subscriber of the chat lifecycle bus: chats started and ended, messages relayed. */
import type { LifecycleSubscriber } from '../chat/lifecycle.js';
import type { LotseMetrics } from './metrics.js';

export function lifecycleMetrics(metrics: LotseMetrics): LifecycleSubscriber {
  return {
    on: {
      'chat.started': () => metrics.chatStarted(),
      'chat.appended': ({ event }) => {
        if (event.kind === 'message') metrics.messageRelayed(event.from);
      },
      'chat.ended': ({ by }) => metrics.chatEnded(by),
    },
  };
}
