import type { ConnectionState } from '../../client/connection.js';

export interface LotseConnectionChangeDetail {
  state: ConnectionState;
}
/**
 * `lotse-connection-change`: the connection to the Lotse server changed state. Fired with the same detail by
 * `<lotse-chat>` (from its pop-up: the visitor's chat) and by `<lotse-advisor-console>`.
 */
export type LotseConnectionChangeEvent = CustomEvent<LotseConnectionChangeDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'lotse-connection-change': LotseConnectionChangeEvent;
  }
}
