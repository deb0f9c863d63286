import { expect, waitUntil } from '@open-wc/testing';
import type { ReactiveControllerHost } from 'lit';
import { ClockController } from '../../src/advisor/clock-controller.js';
import { serverBase, socketUrl } from '../../src/dom/server-url.js';

const advisorSocketUrl = (server: string | null | undefined, base = document.baseURI) => {
  const url = serverBase(server, base);
  return url === undefined ? undefined : socketUrl(url, 'advisor');
};

describe('advisorSocketUrl', () => {
  it('derives ws and wss URLs under the base path', () => {
    expect(advisorSocketUrl('http://localhost:8080')).to.equal('ws://localhost:8080/ws/advisor');
    expect(advisorSocketUrl('https://chat.example.de/lotse/?x=1#y')).to.equal('wss://chat.example.de/lotse/ws/advisor');
    expect(advisorSocketUrl('/lotse', 'https://intranet.example.de/app')).to.equal(
      'wss://intranet.example.de/lotse/ws/advisor',
    );
  });

  it('refuses what is not http(s)', () => {
    for (const bad of [null, undefined, '', '  ', 'ftp://x', 'javascript:alert(1)', 'ws://x', 'http://']) {
      expect(advisorSocketUrl(bad), String(bad)).to.equal(undefined);
    }
  });
});

describe('ClockController', () => {
  it('re-renders its host while connected and stops when the host leaves', async () => {
    let updates = 0;
    const host: ReactiveControllerHost = {
      addController: () => undefined,
      removeController: () => undefined,
      requestUpdate: () => {
        updates += 1;
      },
      updateComplete: Promise.resolve(true),
    };
    const clock = new ClockController(host, 5);
    expect(clock.running).to.equal(false);
    clock.hostConnected();
    await waitUntil(() => updates >= 2, 'clock did not tick');
    clock.hostDisconnected();
    expect(clock.running).to.equal(false);
  });
});
