// Rollup plugins that take out of simple-peer-light (both bundles) code that can never run in Lotse, checked as
// in `bundle-trims.mjs`: each fails the build when the code no longer looks as expected (after an update of
// simple-peer-light, look again rather than loosen the check), and each keeps every other line where it was.
//
// simplePeerWithoutDebug: simple-peer-light logs through `this._debug(…)`, 39 calls with their message texts,
// which do nothing unless the peer is made with `debug: true`; `src/client/peer-link.ts` never passes it. The
// calls go, found in the syntax tree (not by text); the method itself stays.
//
// simplePeerDataOnly: Lotse's peer carries one data channel and never media (`peer-link.ts` passes no `streams`
// and calls none of the media methods), and runs in current browsers only. So:
// - `addStream`, `addTrack`, `replaceTrack`, `removeTrack` and `removeStream` go (a call would fail loudly, as
//   a method that is not there); what WebRTC or the other side's signals may call (`ontrack`, a
//   `transceiverRequest` signal, Safari's missing transceivers after an answer) does nothing: the visitor's page
//   never takes on a media track or transceiver it did not ask for;
// - `getStats` keeps the standard, promise-based call that every current browser has, not the callback form of
//   browsers from before 2018;
// - the connection's addresses (`localAddress`, `remoteAddress`, …, with three formats of browsers long gone) are
//   not worked out: Lotse reads none of them, and simple-peer only needs to know that a candidate pair was chosen
//   before it announces the connection;
// - `RTCPeerConnection` and its two companions are taken without the `moz`/`webkit` prefixes of 2016;
// - the default ICE servers (Google's and Twilio's STUN) go: Lotse always passes its own (`config.iceServers`, which
//   replace the default), and a third-party server must not even be named in the insurer's bundle.
import { textEdits } from './bundle-trims.mjs';

const PEER_FILE = /[\\/]simple-peer-light[\\/]index\.js$/;

export function simplePeerWithoutDebug() {
  return {
    name: 'lotse-simple-peer-without-debug',
    transform(code, id) {
      if (!PEER_FILE.test(id)) return null;
      if (!code.includes('this._doDebug = opts.debug') || !code.includes('if (!this._doDebug) return')) {
        throw new Error(
          'simple-peer-without-debug: _debug no longer depends on opts.debug; has simple-peer-light changed?',
        );
      }
      const cuts = [];
      const visit = (node) => {
        if (Array.isArray(node)) return node.forEach(visit);
        if (node === null || typeof node !== 'object' || typeof node.type !== 'string') return;
        const call = node.type === 'ExpressionStatement' ? node.expression : undefined;
        const callee = call?.type === 'CallExpression' ? call.callee : undefined;
        if (
          callee?.type === 'MemberExpression' &&
          callee.object.type === 'ThisExpression' &&
          callee.property.name === '_debug'
        ) {
          cuts.push(node);
          return;
        }
        for (const [key, value] of Object.entries(node)) if (key !== 'type') visit(value);
      };
      visit(this.parse(code));
      if (cuts.length < 10)
        throw new Error(
          `simple-peer-without-debug: only ${cuts.length} _debug calls found; has simple-peer-light changed?`,
        );
      let out = code;
      for (const { start, end } of cuts.sort((a, b) => b.start - a.start)) {
        const text = out.slice(start, end);
        out = out.slice(0, start) + ';' + '\n'.repeat(text.split('\n').length - 1) + out.slice(end);
      }
      return { code: out, map: null };
    },
  };
}

/** Media methods: gone, or (what WebRTC or a signal from the other side may call) doing nothing. */
const MEDIA_GONE = ['addStream', 'addTrack', 'replaceTrack', 'removeTrack', 'removeStream'];
const MEDIA_IGNORED = ['addTransceiver', '_requestMissingTransceivers', '_onTrack'];

const BROWSER_RTC = `function getBrowserRTC () {
  const { RTCPeerConnection, RTCSessionDescription, RTCIceCandidate } = globalThis
  return RTCPeerConnection ? { RTCPeerConnection, RTCSessionDescription, RTCIceCandidate } : null
}
`;
const GET_STATS = `getStats (cb) {
    this._pc.getStats().then(res => cb(null, [...res.values()]), err => cb(err))
  }`;
const SELECTED_PAIR = `const setSelectedCandidatePair = () => {
          foundSelectedCandidatePair = true
        }
`;
const DEFAULT_ICE = `iceServers: [
    {
      urls: [
        'stun:stun.l.google.com:19302',
        'stun:global.stun.twilio.com:3478'
      ]
    }
  ],`;

export function simplePeerDataOnly() {
  const { fail, section, replace } = textEdits('simple-peer-data-only', 'simple-peer-light');
  return {
    name: 'lotse-simple-peer-data-only',
    transform(code, id) {
      if (!PEER_FILE.test(id)) return null;
      const peer = this.parse(code).body.find((node) => node.type === 'ClassDeclaration' && node.id.name === 'Peer');
      if (peer === undefined) fail('no class Peer');
      const methods = new Map(
        peer.body.body.filter((node) => node.type === 'MethodDefinition').map((node) => [node.key.name, node]),
      );
      const method = (name) => methods.get(name) ?? fail(`Peer has no ${name}() any more`);
      const edits = [
        ...MEDIA_GONE.map((name) => ({ ...method(name), text: '' })),
        ...MEDIA_IGNORED.map((name) => ({ ...method(name), text: `${name}() {}` })),
        { ...method('getStats'), text: GET_STATS },
      ];
      let out = code;
      for (const { start, end, text } of edits.sort((a, b) => b.start - a.start)) {
        const lines = out.slice(start, end).split('\n').length;
        out = out.slice(0, start) + text + '\n'.repeat(lines - text.split('\n').length) + out.slice(end);
      }
      // The other methods must not need what is gone (the constructor adds `opts.streams`, which Lotse never passes).
      for (const name of MEDIA_GONE) {
        const uses = out.split(`this.${name}(`).length - 1;
        if (uses > (name === 'addStream' ? 1 : 0)) fail(`simple-peer calls ${name}() from elsewhere`);
      }
      out = replace(out, section(out, 'function getBrowserRTC () {', 'function errCode ('), BROWSER_RTC);
      const pair = section(
        out,
        'const setSelectedCandidatePair = selectedCandidatePair => {',
        'items.forEach(item => {\n          // Spec-compliant',
      );
      if (!pair.includes('foundSelectedCandidatePair = true')) fail('the candidate pair is found otherwise');
      out = replace(out, pair, SELECTED_PAIR);
      out = replace(out, DEFAULT_ICE, 'iceServers: [],');
      return { code: out, map: null };
    },
  };
}
