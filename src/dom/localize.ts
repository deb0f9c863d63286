/**
 * The language of a Lit element, followed live: read `lang` while rendering, and the element renders again when a
 * `lang` attribute that decides it changes (the page's, an ancestor's, its own). One shared MutationObserver
 * for the whole page (`lang-watch.ts`). Texts that load lazily are the element's business: it waits for them
 * before it renders (as the pop-up does for its English, in `scheduleUpdate`).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { langOf } from '../i18n/locale.js';
import type { Lang } from '../i18n/locale.js';
import { unwatchLang, watchLang } from './lang-watch.js';

export class LocalizeController implements ReactiveController {
  #host: ReactiveControllerHost & Element;
  /** The language the host last rendered in. */
  #shown: Lang | undefined;

  constructor(host: ReactiveControllerHost & Element) {
    this.#host = host;
    host.addController(this);
  }

  /** The host's language now (the nearest `lang` up the tree, else the page's); read it when rendering. */
  get lang(): Lang {
    return (this.#shown = langOf(this.#host));
  }

  hostConnected(): void {
    watchLang(this.#host, this.#check);
    this.#check();
  }

  hostDisconnected(): void {
    unwatchLang(this.#check);
  }

  /** A `lang` changed somewhere: a new render only when it changed this host's language. */
  #check = (): void => {
    if (this.#shown !== undefined && langOf(this.#host) !== this.#shown) this.#host.requestUpdate();
  };
}
