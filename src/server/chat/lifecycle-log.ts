/**
 * The chat's log lines, which are its metrics today (counts and durations, never content), as a subscriber of the
 * chat lifecycle (`lifecycle.ts`). A metrics exporter would subscribe the same way.
 */
import type { Logger } from '../log.js';
import type { LifecycleSubscriber } from './lifecycle.js';

export function lifecycleLog(log: Logger): LifecycleSubscriber {
  return {
    on: {
      'chat.started': ({ live }) => log.info('chat.started', { count: live }),
      'chat.assigned': ({ waitedMs }) => log.info('chat.accepted', { durationMs: waitedMs }),
      'chat.requeued': () => log.info('chat.requeued'),
      'chat.transferred': ({ topic }) =>
        log.info('chat.transferred', { to: topic === undefined ? 'advisor' : 'topic' }),
      // 1: back, 0: away
      'chat.presence': ({ present }) => log.debug('chat.presence', { count: present ? 1 : 0 }),
      'chat.ended': ({ by, events, startedAt, endedAt }) =>
        log.info('chat.ended', { by, events, durationMs: endedAt - startedAt }),
    },
  };
}
