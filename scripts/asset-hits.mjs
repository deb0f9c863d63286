// A Web Test Runner plugin for the co-browse replay's allow-list test (test/advisor/replay-assets.test.ts): two small
// HTTP servers on loopback, "foreign" and "allowed", that note every request they get. The test page asks the test
// server for `/__asset-hits` (their origins and the paths requested so far) to count what the replay fetched.
import { createServer } from 'node:http';

/** A 1×1 PNG, so that an allowed image really loads. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

function answer(request, response) {
  const path = new URL(request.url ?? '/', 'http://x').pathname;
  if (path.endsWith('.png')) {
    response.writeHead(200, { 'Content-Type': 'image/png', 'Cache-Control': 'no-store' });
    response.end(PNG);
  } else if (path.endsWith('.css')) {
    response.writeHead(200, { 'Content-Type': 'text/css', 'Cache-Control': 'no-store' });
    response.end('p { color: rgb(1, 2, 3); }');
  } else {
    // 204: a navigation (meta refresh, a frame) to it does not replace the document.
    response.writeHead(204, { 'Cache-Control': 'no-store' });
    response.end();
  }
}

/** The two servers on free loopback ports; `hits` fills as requests arrive. For the end-to-end test too. */
export async function startAssetHits() {
  const servers = {};
  const hits = { foreign: [], allowed: [] };
  for (const name of Object.keys(hits)) {
    const server = createServer((request, response) => {
      hits[name].push(new URL(request.url ?? '/', 'http://x').pathname);
      answer(request, response);
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers[name] = server;
  }
  const origins = Object.fromEntries(
    Object.entries(servers).map(([name, server]) => [name, `http://127.0.0.1:${server.address().port}`]),
  );
  const close = async () => {
    for (const server of Object.values(servers)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  };
  return { origins, hits, close };
}

export function assetHits() {
  let running;
  return {
    name: 'asset-hits',
    async serverStart() {
      running = await startAssetHits();
    },
    async serverStop() {
      await running?.close();
    },
    serve(context) {
      if (context.path !== '/__asset-hits' || running === undefined) return undefined;
      const { origins, hits } = running;
      return { body: JSON.stringify({ origins, hits }), type: 'json', headers: { 'Cache-Control': 'no-store' } };
    },
  };
}
