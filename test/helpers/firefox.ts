/**
 * Debian's Firefox ESR for end-to-end tests, driven through WebDriver BiDi by puppeteer-core (Playwright's own
 * Firefox build cannot be had here). Headless, a fresh profile per launch (puppeteer makes one and removes it),
 * and nothing reaches past this machine: see `scripts/firefox.mjs` for the preferences and why.
 *
 * The API is small on purpose:
 * - `launchFirefox()` and `closeFirefox(browser)` (idempotent; kills the process if it does not quit);
 * - `newFirefoxPage(browser, { viewport })`: a page in its own browser context (own cookies and storage, as a
 *   Playwright context), and `closeFirefoxPage(page)`;
 * - page helpers where puppeteer differs from Playwright. Playwright's CSS descends into open shadow roots;
 *   puppeteer's needs `>>>` between the steps (`lotse-chat >>> [part~="composer"]`): `deep()` joins them.
 *   `waitFor` waits for such a selector to be attached, visible, hidden or detached, optionally with a text;
 *   `click`, `fill`, `check` and `press` act as a person would (real input events through BiDi); `selectIndex`
 *   picks an option of a `<select>`. They wait with
 *   `waitFor`, never with puppeteer's `waitForSelector` or locators (see `handleOf` for why);
 *   `pasteClipboard` reads the clipboard the way a person can: pasting it (Ctrl+V) into a text area.
 */
import puppeteer from 'puppeteer-core';
import type { Browser, ElementHandle, KeyInput, LaunchOptions, Page } from 'puppeteer-core';
// @ts-expect-error -- plain ESM helper shared with the test runner config and scripts/test.mjs, no types needed
import { firefoxLaunchOptions } from '../../scripts/firefox.mjs';

export type { Browser as FirefoxBrowser, Page as FirefoxPage } from 'puppeteer-core';

/** Firefox ESR, headless, over WebDriver BiDi, in a fresh profile. */
export function launchFirefox(): Promise<Browser> {
  return puppeteer.launch(firefoxLaunchOptions() as LaunchOptions);
}

/**
 * Closes Firefox and removes its profile. puppeteer asks Firefox to quit, waits up to 5 s and then kills its
 * process group; if the connection is already gone, the process is killed here. Safe to call twice or with nothing.
 */
export async function closeFirefox(browser: Browser | undefined): Promise<void> {
  if (browser === undefined) return;
  const child = browser.process();
  try {
    await browser.close();
  } finally {
    if (child !== null && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

export interface FirefoxPageOptions {
  /** CSS pixels; Playwright's default (1280 × 720) unless given. */
  viewport?: { width: number; height: number };
}

/** A new page in a browser context of its own: no cookie, storage or cache shared with any other page. */
export async function newFirefoxPage(browser: Browser, options: FirefoxPageOptions = {}): Promise<Page> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport(options.viewport ?? { width: 1280, height: 720 });
  return page;
}

/** Closes the page's browser context (and with it the page). */
export async function closeFirefoxPage(page: Page | undefined): Promise<void> {
  if (page === undefined || page.browser().connected === false) return;
  await page.browserContext().close();
}

/** Joins selector steps with puppeteer's deep combinator: each step may be inside the previous one's shadow root. */
export function deep(...steps: string[]): string {
  return steps.join(' >>> ');
}

export type WaitState = 'attached' | 'visible' | 'enabled' | 'hidden' | 'detached';

export interface WaitOptions {
  /** Only elements whose text contains this string or matches this expression. */
  text?: string | RegExp;
  /** `visible` (the default) as Playwright: attached, with a box, not `visibility: hidden`; `enabled`: visible and
   *  not `:disabled`. */
  state?: WaitState;
  timeout?: number;
}

/**
 * The page side of `waitFor`: are elements matched by `selector` (steps joined by `>>>`, each searched through every
 * open shadow root below the previous step's elements) in `state`? Runs in the page, so it names no inner
 * function: the test's TypeScript loader would wrap a named one in a helper the page does not have.
 */
const matchesInPage = (
  selector: string,
  text: { source: string; flags: string } | string | null,
  state: WaitState,
): boolean => {
  let found: Element[] = [];
  let roots: ParentNode[] = [document];
  for (const step of selector.split('>>>').map((part) => part.trim())) {
    found = [];
    for (const root of roots) {
      const stack: ParentNode[] = [root];
      if (root instanceof Element && root.shadowRoot !== null) stack.push(root.shadowRoot);
      while (stack.length > 0) {
        const node = stack.pop()!;
        for (const element of node.querySelectorAll(step)) if (!found.includes(element)) found.push(element);
        for (const element of node.querySelectorAll('*'))
          if (element.shadowRoot !== null) stack.push(element.shadowRoot);
      }
    }
    roots = found;
  }
  const matching = found.filter((element) => {
    if (text === null) return true;
    const content = element.textContent ?? '';
    return typeof text === 'string' ? content.includes(text) : new RegExp(text.source, text.flags).test(content);
  });
  const visible = matching.filter(
    (element) => element.getClientRects().length > 0 && getComputedStyle(element).visibility !== 'hidden',
  );
  switch (state) {
    case 'attached':
      return matching.length > 0;
    case 'visible':
      return visible.length > 0;
    case 'enabled':
      return visible.some((element) => !element.matches(':disabled'));
    case 'hidden':
      return visible.length === 0;
    case 'detached':
      return matching.length === 0;
  }
};

/** Waits until `selector` (see `deep`) is in `state`, optionally with a text; fails with what it waited for. */
export async function waitFor(page: Page, selector: string, options: WaitOptions = {}): Promise<void> {
  const { text, state = 'visible', timeout = 10_000 } = options;
  const textArg =
    text === undefined ? null : typeof text === 'string' ? text : { source: text.source, flags: text.flags };
  try {
    await page.waitForFunction(matchesInPage, { polling: 20, timeout }, selector, textArg, state);
  } catch (error) {
    const what = `${selector}${text === undefined ? '' : ` with text ${String(text)}`} to be ${state}`;
    throw new Error(`Firefox: timed out after ${timeout} ms waiting for ${what}`, { cause: error });
  }
}

/**
 * The first element `selector` matches, once `waitFor` sees it in `state`. Not puppeteer's `waitForSelector` or
 * locators: for a `>>>` selector they wait on a MutationObserver of the document, which sees nothing that happens
 * inside a shadow root, so an element that Lit renders there after the first look is found only when the light
 * DOM happens to change (measured: the pop-up's checkbox, found or not at random, else a 30 s timeout).
 */
async function handleOf(page: Page, selector: string, state: WaitState): Promise<ElementHandle<Element>> {
  await waitFor(page, selector, { state });
  const handle = await page.$(selector);
  if (handle === null) throw new Error(`Firefox: ${selector} went away`);
  return handle;
}

/** The text of the first element `selector` matches, once it is there. */
export async function textOf(page: Page, selector: string): Promise<string> {
  const handle = await handleOf(page, selector, 'attached');
  try {
    return await handle.evaluate((element) => element.textContent ?? '');
  } finally {
    await handle.dispose();
  }
}

/** Clicks the element as a person would (scrolled into view, a real pointer click), once it is visible and enabled. */
export async function click(page: Page, selector: string): Promise<void> {
  const handle = await handleOf(page, selector, 'enabled');
  try {
    await handle.click();
  } finally {
    await handle.dispose();
  }
}

/** Ticks a checkbox by clicking it, and waits until it is ticked. */
export async function check(page: Page, selector: string): Promise<void> {
  await click(page, selector);
  const handle = await handleOf(page, selector, 'attached');
  try {
    await page.waitForFunction(
      (element) => (element as HTMLInputElement).checked,
      { polling: 20, timeout: 5_000 },
      handle,
    );
  } finally {
    await handle.dispose();
  }
}

/** Replaces the field's value by typing `value` into it (its old text selected first, so the typing replaces it). */
export async function fill(page: Page, selector: string, value: string): Promise<void> {
  const handle = await handleOf(page, selector, 'enabled');
  try {
    await handle.focus();
    await handle.evaluate((element) => (element as HTMLInputElement | HTMLTextAreaElement).select());
    if (value === '') await page.keyboard.press('Backspace');
    else await page.keyboard.type(value);
  } finally {
    await handle.dispose();
  }
}

/**
 * Chooses the option at `index` of a `<select>` and tells the page as a person's choice does (`input`, `change`).
 * Set from script: BiDi has no way to pick from the native drop-down Firefox draws outside the page.
 */
export async function selectIndex(page: Page, selector: string, index: number): Promise<void> {
  const handle = await handleOf(page, selector, 'enabled');
  try {
    await handle.evaluate((element, at) => {
      const select = element as HTMLSelectElement;
      select.selectedIndex = at;
      select.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
      select.dispatchEvent(new Event('change', { bubbles: true }));
    }, index);
  } finally {
    await handle.dispose();
  }
}

/** Focuses the element and presses a key (puppeteer's key names: 'Enter', 'Tab', 'Escape', ' ', 'a', …). */
export async function press(page: Page, selector: string, key: KeyInput): Promise<void> {
  const handle = await handleOf(page, selector, 'attached');
  try {
    await handle.focus();
  } finally {
    await handle.dispose();
  }
  await page.keyboard.press(key);
}

/**
 * What the clipboard holds, read as a person reads it: Ctrl+V into a text area added to the page for the purpose
 * (and removed again). Firefox asks the person before a page may read the clipboard itself, and WebDriver BiDi
 * has no permission to grant that; a paste by keyboard is trusted input.
 */
export async function pasteClipboard(page: Page): Promise<string> {
  await page.evaluate(() => {
    const area = document.createElement('textarea');
    area.id = 'lotse-test-paste';
    document.body.append(area);
    area.focus();
  });
  await page.keyboard.down('Control');
  await page.keyboard.press('v');
  await page.keyboard.up('Control');
  await page.waitForFunction(
    () => (document.getElementById('lotse-test-paste') as HTMLTextAreaElement | null)?.value !== '',
    { polling: 20, timeout: 5_000 },
  );
  return page.evaluate(() => {
    const area = document.getElementById('lotse-test-paste') as HTMLTextAreaElement;
    area.remove();
    return area.value;
  });
}
