/**
 * What a visitor's co-browse session needs once it has started: the data channel (`peer-link.ts`, the only
 * simple-peer import) and the recorder (`../cobrowse/record.ts`, the only rrweb import). One module, so that the
 * browser loads both as one file: one request, and one gzip stream over both (some 300 bytes less than two).
 * Loaded by dynamic `import()` on `cobrowse.started`, once the visitor has consented and the advisor has typed the
 * start code; recording itself starts only once the data channel is open (`cobrowse-stream.ts`).
 */
export { PeerLink } from './peer-link.js';
export { startRecording } from '../cobrowse/record.js';
