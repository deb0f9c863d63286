// Where Debian's Chromium is, and the flags it needs on a machine without outside network.
import { existsSync } from 'node:fs';

const candidates = [
  process.env.CHROME_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
].filter(Boolean);

/** The first Chromium found, or undefined. */
export function findChromium() {
  return candidates.find((path) => existsSync(path));
}

/** The Chromium to use; throws with the exact install command when there is none. */
export function chromiumPath() {
  const path = findChromium();
  if (path === undefined) {
    throw new Error(
      'Chromium not found (looked at ' +
        candidates.join(', ') +
        ').\n' +
        'Install it with:  sudo apt-get install -y chromium\n' +
        'or point CHROME_PATH at a Chromium or Chrome binary.',
    );
  }
  return path;
}

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
