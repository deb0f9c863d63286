// The part of simple-peer-light's API that Lotse uses (the package ships no types).
declare module 'simple-peer-light' {
  namespace Peer {
    type SignalData = Record<string, unknown>;
    interface Options {
      initiator?: boolean;
      trickle?: boolean;
      config?: RTCConfiguration;
      channelConfig?: RTCDataChannelInit;
    }
  }
  class Peer {
    constructor(options?: Peer.Options);
    readonly connected: boolean;
    readonly bufferSize: number;
    signal(data: Peer.SignalData): void;
    send(chunk: ArrayBufferView | ArrayBuffer | string): void;
    destroy(error?: Error): void;
    on(event: 'signal', listener: (data: Peer.SignalData) => void): this;
    on(event: 'connect' | 'close', listener: () => void): this;
    on(event: 'data', listener: (data: Uint8Array) => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
  }
  export default Peer;
}
