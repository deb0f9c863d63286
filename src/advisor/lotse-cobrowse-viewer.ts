import { LitElement, html } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { property, query } from 'lit/decorators.js';
import { advisorTexts } from '../i18n/advisor.js';
import { langOf } from '../i18n/locale.js';
import type { FrameInfo } from '../cobrowse/replay.js';
import { LocalizeController } from '../dom/localize.js';
import { define, emit } from '../dom/define.js';
import { replayStyles, viewerStyles } from './cobrowse-styles.js';
import { baseStyles } from './styles.js';
import { ViewerController } from './viewer-controller.js';
import type { ViewerSource } from './viewer-controller.js';

/**
 * The live view of a visitor's page in a co-browse session: view only, scaled to fit, with the advisor's
 * pointer over it sent to the visitor. The replay itself (rrweb) is loaded on first use and built once this
 * element's shadow root is in the document.
 *
 * @tag lotse-cobrowse-viewer
 * @prop {string} sessionId - The co-browse session to show.
 * @prop {ViewerSource} source - Where the page comes from and the pointer goes (the console's session).
 * @fires {CustomEvent<LotseAdvisorCobrowseFrameDetail>} lotse-advisor-cobrowse-frame - The view applied the
 *   visitor's changes; `detail.sessionId`, `detail.at` (performance.now()), `detail.events`, `detail.timestamp`
 *   (newest event, visitor's clock).
 * @csspart viewer - The box the visitor's page is shown in.
 * @csspart viewer-status - What the view shows (waiting for the page, or live).
 * @cssprop [--lotse-viewer-max-height=70vh] - Largest height of the view; the page is scaled to fit.
 */
export class LotseCobrowseViewer extends LitElement {
  static override styles = [baseStyles, replayStyles, viewerStyles];

  @property({ attribute: 'session-id' }) sessionId = '';
  @property({ attribute: false }) source: ViewerSource | undefined;

  @query('[part="viewer"]') private container!: HTMLElement | null;

  #localize = new LocalizeController(this);
  #viewer = new ViewerController(this, (frame: FrameInfo) => {
    emit(this, 'lotse-advisor-cobrowse-frame', { sessionId: this.sessionId, ...frame });
  });

  /** `performance.now()` when the view last applied the visitor's changes; 0 before the first. */
  get lastAppliedAt(): number {
    return this.#viewer.viewer?.lastAppliedAt ?? 0;
  }

  /** @internal For tests: the live viewer, once loaded. */
  get liveViewer(): ViewerController['viewer'] {
    return this.#viewer.viewer;
  }

  override render(): TemplateResult {
    const texts = advisorTexts(this.#localize.lang).cobrowse;
    const showing = this.#viewer.showing;
    // The box is a labelled group; what is inside (a frame with the page) has its own title.
    return html`<div part="viewer" role="group" aria-label=${texts.viewerLabel}
        aria-describedby="viewer-status"></div>
      <p part="viewer-status" id="viewer-status" role="status">${showing ? texts.viewerLive : texts.viewerWaiting}</p>`;
  }

  protected override firstUpdated(): void {
    this.#show();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('sessionId') || changed.has('source')) this.#show();
    // The page's language changed: the frame's title follows it.
    else
      this.container
        ?.querySelector('iframe')
        ?.setAttribute('title', advisorTexts(this.#localize.lang).cobrowse.frameTitle);
  }

  #show(): void {
    const container = this.container;
    if (container === null) return;
    const source = this.source;
    this.#viewer.show(
      container,
      source === undefined || this.sessionId === ''
        ? undefined
        : { sessionId: this.sessionId, source, title: advisorTexts(langOf(this)).cobrowse.frameTitle },
    );
  }
}

define('lotse-cobrowse-viewer', LotseCobrowseViewer);

declare global {
  interface HTMLElementTagNameMap {
    'lotse-cobrowse-viewer': LotseCobrowseViewer;
  }
}
