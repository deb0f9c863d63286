/**
 * The replay's allow-list end to end (issue 12, item 11): a real co-browse session between two Chromium contexts,
 * the visitor's page naming a foreign origin in many ways, the advisor's console WITHOUT its CSP (bypassed), and
 * two loopback servers counting what reaches them. The visitor's own page keeps its strict CSP, so that every
 * request the foreign server sees comes from the advisor's replay.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { defaults } from '../../src/server/config/lotse-config.js';
import { launchChromium, startDemoServer } from '../helpers/browser.js';
import type { TestServer } from '../helpers/server.js';
import { consoleEl, startSession, viewerFrame } from '../helpers/cobrowse-pages.js';
// @ts-expect-error -- plain ESM helper shared with the test runner config, no types needed
import { startAssetHits } from '../../scripts/asset-hits.mjs';

interface AssetHits {
  origins: { foreign: string; allowed: string };
  hits: { foreign: string[]; allowed: string[] };
  close(): Promise<void>;
}

describe('co-browse replay: nothing loads from outside the asset origins, end to end', () => {
  let assets: AssetHits;
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    assets = (await startAssetHits()) as AssetHits;
    server = await startDemoServer([], { cobrowse: { ...defaults.cobrowse, assetOrigins: [assets.origins.allowed] } });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await assets?.close();
  });

  it("the visitor's page names a foreign origin in nine ways: 0 requests reach it; the allowed image loads", async () => {
    // The console's page without any CSP: the replay must hold on its own.
    const advisorContext = await browser.newContext({ viewport: { width: 1400, height: 900 }, bypassCSP: true });
    const visitorContext = await browser.newContext({ viewport: { width: 1000, height: 800 } });
    try {
      const advisor = await advisorContext.newPage();
      const visitor = await visitorContext.newPage();
      await advisor.goto(`${server.url}/advisor.html`);
      await advisor
        .locator(`${consoleEl} [part~="status"]`)
        .filter({ hasText: /verbunden|connected/i })
        .waitFor();
      await visitor.goto(`${server.url}/formular.html`);
      await startSession(advisor, visitor);
      const frame = viewerFrame(advisor);
      await frame.getByText('Antrag auf Kostenübernahme').waitFor();

      const { foreign, allowed } = assets.origins;
      await visitor.evaluate(
        ({ F, A }) => {
          const box = document.createElement('div');
          box.innerHTML = `
          <img src="${F}/e2e-img.png" width="20" height="20">
          <img srcset="${F}/e2e-srcset.png 1x" width="20" height="20">
          <object data="${F}/e2e-object.png" type="image/png" width="20" height="20"></object>
          <video poster="${F}/e2e-poster.png" width="20" height="20"></video>
          <svg width="20" height="20"><image href="${F}/e2e-svg-image.png" width="20" height="20"></image></svg>
          <div style="width: 20px; height: 20px; background-image: url('${F}/e2e-inline.png')"></div>
          <style>.e2e-bg { width: 20px; height: 20px; background-image: url("${F}/e2e-style.png"); }</style>
          <div class="e2e-bg"></div>
          <iframe src="${F}/e2e-frame.html"></iframe>
          <img id="e2e-allowed" src="${A}/e2e-allowed.png" width="20" height="20">`;
          const link = Object.assign(document.createElement('link'), { rel: 'stylesheet', href: `${F}/e2e-link.css` });
          document.head.append(link);
          document.body.append(box);
        },
        { F: foreign, A: allowed },
      );

      const allowedImage = frame.locator('#e2e-allowed');
      await allowedImage.waitFor({ state: 'attached' });
      // The allowed image really loads in the replay (the allow-list is no blanket ban).
      const loaded = () => allowedImage.evaluate((image) => (image as HTMLImageElement).naturalWidth === 1);
      for (let tries = 0; !(await loaded()); tries += 1) {
        assert.ok(tries < 100, 'allowed image not loaded in the replay');
        await advisor.waitForTimeout(100);
      }
      await advisor.waitForTimeout(500); // what the replay was going to request has been requested by now
      console.log(
        `replay-assets e2e: foreign requests ${assets.hits.foreign.length} ${JSON.stringify(assets.hits.foreign)}`,
      );
      assert.deepEqual(assets.hits.foreign, []);
      assert.ok(assets.hits.allowed.includes('/e2e-allowed.png'));
    } finally {
      await advisorContext.close();
      await visitorContext.close();
    }
  });
});
