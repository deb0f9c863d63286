// Where Debian's Firefox ESR is, and how to start it for tests: driven through WebDriver BiDi by puppeteer-core
// (never a downloaded browser), headless, in a fresh profile, and unable to reach anything but this machine.
import { existsSync } from 'node:fs';

const candidates = [process.env.FIREFOX_PATH, '/usr/bin/firefox-esr'].filter(Boolean);

/** The first Firefox found, or undefined. */
export function findFirefox() {
  return candidates.find((path) => existsSync(path));
}

/** The Firefox to use; throws with the exact install command when there is none. */
export function firefoxPath() {
  const path = findFirefox();
  if (path === undefined) {
    throw new Error(
      'Firefox not found (looked at ' +
        candidates.join(', ') +
        ').\n' +
        'Install it with:  sudo apt-get install -y firefox-esr\n' +
        'or point FIREFOX_PATH at a Firefox binary.',
    );
  }
  return path;
}

/**
 * Preferences on top of puppeteer's own test profile (which already turns off updates, telemetry upload, safe
 * browsing, first-run pages and the like). Measured by tracing Firefox 153 ESR's connect() and DNS queries for two
 * idle minutes: with puppeteer's profile alone it looked up firefox.settings.services.mozilla.com some 20 times;
 * with these preferences and `firefoxEnv` it asked for nothing and connected to nothing off this machine.
 */
export const firefoxPrefs = {
  // Remote Settings (the one service seen above): on release builds Firefox ignores an overridden server unless
  // MOZ_DISABLE_NONLOCAL_CONNECTIONS is set (below); with it, this dummy URL makes it skip every sync.
  'services.settings.server': 'data:,#remote-settings-dummy/v1',
  // Background services that probe the internet on start or on network changes and that this build enables by
  // default (captive-portal and connectivity checks, DNS over HTTPS, studies, sponsored tiles, push). Not seen in
  // the trace; off explicitly rather than left to what a headless start happens to skip.
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'network.trr.mode': 5,
  'app.normandy.enabled': false,
  'browser.topsites.contile.enabled': false,
  'dom.push.connection.enabled': false,
  // WebRTC: announce host candidates by address, not as mDNS names. With names (the default), each side resolves
  // the other's by multicast DNS to 224.0.0.251:5353, which leaves through the network interface (seen on eth0);
  // with addresses, two browsers on this machine reach each other without a packet leaving it. The peers connect
  // either way.
  'media.peerconnection.ice.obfuscate_host_addresses': false,
};

/**
 * The environment Firefox runs with. MOZ_DISABLE_NONLOCAL_CONNECTIONS=1 is the switch Mozilla's own test harnesses
 * set: Firefox's socket layer then refuses a connection to an address that is not local ("FATAL ERROR: Non-local
 * network connections are disabled …" on stderr) instead of making it, and Remote Settings accepts the overridden
 * server above.
 */
export const firefoxEnv = { MOZ_DISABLE_NONLOCAL_CONNECTIONS: '1' };

/** puppeteer-core launch options for Firefox ESR over WebDriver BiDi. */
export function firefoxLaunchOptions() {
  return {
    browser: 'firefox',
    protocol: 'webDriverBiDi',
    executablePath: firefoxPath(),
    headless: true,
    extraPrefsFirefox: firefoxPrefs,
    env: { ...process.env, ...firefoxEnv },
  };
}
