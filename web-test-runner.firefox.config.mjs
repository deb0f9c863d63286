// Browser tests in Debian's Firefox ESR, driven through WebDriver BiDi by puppeteer-core: the same files and
// settings as web-test-runner.config.mjs, another browser. `npm test` runs both.
import { chromeLauncher } from '@web/test-runner-chrome';
import * as puppeteerCore from 'puppeteer-core';
import base from './web-test-runner.config.mjs';
import { firefoxLaunchOptions } from './scripts/firefox.mjs';

export default {
  ...base,
  // @web/test-runner-chrome's launcher is puppeteer's: given puppeteer-core and `browser: 'firefox'` it starts
  // Firefox over BiDi (what @web/test-runner-puppeteer does, without the full `puppeteer` package it depends on).
  browsers: [chromeLauncher({ puppeteer: puppeteerCore, launchOptions: firefoxLaunchOptions() })],
};
