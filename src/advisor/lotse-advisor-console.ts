import { LitElement, html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { AdvisorChat, AdvisorSession } from '../client/advisor-session.js';
import type { CobrowseSession } from '../client/cobrowse-advisor.js';
import type { ConnectionState, WebSocketLike } from '../client/connection.js';
import { advisorTexts, errorText } from '../i18n/advisor.js';
import type { AdvisorTexts } from '../i18n/advisor.js';
import { langOf } from '../i18n/locale.js';
import { consoleStyles } from './console-styles.js';
import { LocalizeController } from '../dom/localize.js';
import { define, emit } from '../dom/define.js';
import type { LotseAdvisorChatEndDetail } from '../dom/events/lotse-advisor-chat-end.js';
import type { LotseAdvisorCobrowseChangeDetail } from '../dom/events/lotse-advisor-cobrowse-change.js';
import './lotse-advisor-context.js';
import './lotse-advisor-conversation.js';
import './lotse-cobrowse-panel.js';
import type { CobrowseActions } from './lotse-cobrowse-panel.js';
import { byChat, cobrowseActions } from './cobrowse-actions.js';
import { consoleHeader, labelled } from './console-header.js';
import { bellIcon } from './icons.js';
import './lotse-advisor-queue.js';
import './lotse-callback-list.js';
import { ordered } from './lotse-advisor-queue.js';
import { serverBase, socketUrl } from '../dom/server-url.js';
import { awayMarkerStyles } from './away-marker.js';
import { chatList, visitorMessages } from './chat-list.js';
import { regionAttributes, regionTabs } from './console-regions.js';
import type { Region } from './console-regions.js';
import { shortcutOf } from './console-shortcuts.js';
import { focusTarget } from './console-focus.js';
import type { ConsoleFocus } from './console-focus.js';
import { LayoutController } from './layout-controller.js';
import { COBROWSE_PARTS, CONTEXT_PARTS, CONVERSATION_PARTS } from './parts.js';
import { QueueArrivals } from './queue-arrivals.js';
import { ReadController } from './read-controller.js';
import './lotse-advisor-notify.js';
import { NotifyController } from './notify-controller.js';
import { SessionController } from './session-controller.js';
import { SignInController } from './sign-in-controller.js';
import { signInPanel, signInRenewal } from './sign-in-view.js';
import { baseStyles } from './styles.js';
import { transferStatus } from './transfer-status.js';
import { memberBadgeStyles, visitorName } from './visitor-name.js';

/** Room the context region keeps for the visitor card and a co-browse panel's lines beside the live view (px). */
const CONTEXT_BESIDE_VIEWER = 300;

/**
 * The advisor's console: presence, the queue of waiting visitors, and the chats the advisor holds, several at
 * once, one shown at a time. Give it the Lotse server's base URL as `server` and the advisor's signed token as
 * the `token` property (never an attribute: it does not belong in the DOM). Without a token it shows that the
 * advisor is not signed in.
 *
 * It fills the height it is given (at most the viewport's), in three regions: the queue and the advisor's chats;
 * the conversation (its messages scroll, its header and composer stay in view); the chat's context (visitor card,
 * co-browsing with the live view scaled to fit, the advisor's notes, which stay in memory and are never sent).
 * When the console itself is at least `wide-from` px wide (1280) the regions stand side by side; narrower, they are
 * tabs. Every action shows its result where it was clicked (a webcode under its button, with the focus on it).
 * Keyboard, while the focus is in the console: Alt+Down / Alt+Up the next / previous chat, Alt+C the message
 * field, Alt+N accepts the next waiting chat. New chats in the queue are announced in a polite live region.
 *
 * The conversation outlives the visitor's page: when the visitor follows a link, reloads or closes the tab, the
 * chat waits for the page to come back (the server's grace period). The console shows it: an away marker on the
 * chat's tab and queue item, and a presence line in the conversation ("Kim hat die Seite verlassen", then
 * "Kim ist wieder da"), which screen readers hear politely and only when the visitor stays away a moment. Read
 * receipts go both ways: "Gelesen" under the advisor's last message the visitor has read, and the chat in front
 * counts as read by the advisor while the page is visible (`chat.read`, only when there is something new). The
 * queue numbers the waiting visitors in the order the server gives, which is the place each visitor is told.
 *
 * @tag lotse-advisor-console
 * @prop {string | null} server - Base URL of the Lotse server (http or https); the WebSocket URL is derived.
 * @prop {string | undefined} token - The advisor's signed JWT. A renewed token is used on the next reconnect.
 * @prop {number} wideFrom - (attribute `wide-from`) From this width of the console (px) the regions stand side by
 *   side; default 1280.
 * @prop {'columns' | 'tabs'} layout - Read only: how the regions are shown now.
 * @attr {boolean} sign-in - Without a `token`, the console signs the advisor in by itself through the identity
 *   provider the server names (`/advisor/config`): "Anmelden", authorization code with PKCE, silent renewal;
 *   "Abmelden" in the header closes the socket, forgets the tab's tokens and goes to the provider's logout page
 *   (RP-initiated logout, back to this page) when it has one, else offers "Anmelden" again.
 * @fires {CustomEvent<LotseConnectionChangeDetail>} lotse-connection-change - The connection state changed;
 *   `detail.state`.
 * @fires {CustomEvent<LotseAdvisorChatAcceptDetail>} lotse-advisor-chat-accept - A chat this advisor accepted from
 *   the queue is now theirs; `detail.chatId`, `detail.visitor`.
 * @fires {CustomEvent<LotseAdvisorChatEndDetail>} lotse-advisor-chat-end - A chat ended or was lost;
 *   `detail.chatId`, `detail.reason`, `detail.by`. Once per chat.
 * @fires {CustomEvent<LotseAdvisorSignOutDetail>} lotse-advisor-sign-out - The advisor signed out ("Abmelden", with
 *   `sign-in`); the socket is closed and the tokens forgotten. `detail.provider`: whether the console goes on to the
 *   provider's logout page.
 * @fires {CustomEvent<LotseAdvisorCobrowseChangeDetail>} lotse-advisor-cobrowse-change - A co-browse session
 *   changed state; `detail.sessionId`, `detail.chatId`, `detail.state` (offered, joined, consented, connecting,
 *   live, ended), `detail.by` once ended.
 * @fires {CustomEvent<LotseAdvisorCobrowseFrameDetail>} lotse-advisor-cobrowse-frame - From the co-browse viewer:
 *   the visitor's changes are in the view; `detail.sessionId`, `detail.at` (performance.now()), `detail.events`,
 *   `detail.timestamp` (visitor's clock).
 * @csspart header - The top bar.
 * @csspart shortcuts - The keyboard shortcuts (a disclosure in the header).
 * @csspart announcement - A polite live region: new chats in the queue, and what a shortcut could not do.
 * @csspart region-tabs - On a narrow console: the tab list of the three regions.
 * @csspart region-tab - One of its tabs.
 * @csspart region-count - On the queue's tab: how many are waiting.
 * @csspart region-lists - The first region: the queue and the advisor's chats.
 * @csspart lists - The lists in it (queue, chats).
 * @csspart region-conversation - The second region: the conversation of the chat in front.
 * @csspart region-context - The third region: visitor card, co-browsing and notes of the chat in front.
 * @csspart chat-tabs - The tab list of the advisor's chats.
 * @csspart advisor-name - The advisor's name.
 * @csspart presence - The available/away switch (`role="switch"`).
 * @csspart status - The connection state (`role="status"`).
 * @csspart problem - Alert for console-wide problems (another advisor already took the chat, …).
 * @csspart signed-out - The "not signed in" or configuration notice.
 * @csspart notify-settings - The notification settings in the header, a disclosure (`<details>`).
 * @csspart transfer-status - "Der Chat wurde an … weitergeleitet", once a chat was handed on (a polite status).
 * @csspart sign-in-panel - With `sign-in`, signed out: the sign-in offer.
 * @csspart sign-in - The "Anmelden" button (and "Erneut anmelden" when the sign-in expires).
 * @csspart sign-in-status - What the sign-in does now (a polite status).
 * @csspart sign-in-error - Why a sign-in failed (an alert).
 * @csspart sign-in-retry - Asks the server for the sign-in settings again.
 * @csspart sign-out - "Abmelden" in the header, for an advisor the console signed in itself (`sign-in`).
 * @csspart sign-in-renew - The prompt to sign in again when the sign-in could not be renewed silently.
 * @csspart queue-count - How many people are waiting (a polite status, announced when it changes).
 * @csspart queue - The list of waiting chats.
 * @csspart queue-item - One waiting chat.
 * @csspart queue-position - A waiting chat's place in the queue (1 = next), as the visitor is told it.
 * @csspart queue-topic - A waiting chat's topic, by its label (the advisor's topics come first).
 * @csspart visitor-away - The marker on a queue item or chat tab while the visitor's page is away.
 * @csspart accept - The button that accepts a waiting chat.
 * @csspart callbacks-count - Where the server takes callback requests (`<lotse-callback-list>`, beside the queue):
 *   how many are open (a polite status).
 * @csspart callbacks - The list of open callback requests.
 * @csspart callback - One callback request: number (`tel:` link), preferred window, topic, who took it.
 * @csspart callback-phone - Its number.
 * @csspart callback-claim - The button that takes it (one advisor at a time).
 * @csspart callback-done - The button that marks a request the advisor took as done.
 * @csspart callback-problem - A refusal beside the request (a colleague was quicker).
 * @csspart chat-tab - One tab per chat the advisor holds.
 * @csspart unread - The unread count on a tab.
 * @csspart context - The context of one chat (`lotse-advisor-context`) in the third region.
 * @csspart conversation-header - The top of a conversation: the visitor's name and the chat's actions.
 * @csspart conversation-actions - The chat's actions in that header (ending the chat).
 * @csspart notes - The advisor's notes on the chat (memory only: never sent, never stored).
 * @csspart visitor-card - The card describing the visitor of the active chat.
 * @csspart visitor-presence - In the conversation: the visitor's page has left, or is back.
 * @csspart kind - On the visitor card: what kind of visitor ("Anonym", or the "verified member" badge).
 * @csspart nickname - On the visitor card: the nickname.
 * @csspart member-badge - "Verified member", on the visitor card, in the queue and on a member's chat tab.
 * @csspart member-name - On the visitor card: a member's verified name.
 * @csspart insurance-number - On the visitor card: a member's insurance number.
 * @csspart copy-number - On the visitor card: copies the insurance number.
 * @csspart log - The conversation: a live log around the list of messages.
 * @csspart message - Every chat message.
 * @csspart message-visitor - A message from the visitor.
 * @csspart message-advisor - A message from the advisor, confirmed by the server.
 * @csspart message-pending - A message from the advisor not yet confirmed by the server.
 * @csspart read-receipt - "Gelesen" under the advisor's last message the visitor has read.
 * @csspart system - A line about the chat itself (joined, left, transferred, ended).
 * @csspart handover - In a chat handed to this advisor: who handed it on, and their internal note.
 * @csspart transfer - "Weiterleiten": opens the transfer dialog (`transfer-dialog`: colleagues, topics, and the
 *   internal note `transfer-note`, never sent to the visitor; `transfer-submit` hands the chat on).
 * @csspart typing - The visitor's typing indicator.
 * @csspart chat-problem - Alert about the active chat.
 * @csspart composer - The message text area.
 * @csspart send - The send button.
 * @csspart end - The button that ends the chat.
 * @csspart notice - What happened to an ended or lost chat.
 * @csspart dismiss - The button that removes an ended or lost chat.
 * @csspart cobrowse-offer - In a chat: offers co-browsing (asks for a webcode for this chat).
 * @csspart cobrowse-offer-phone - In the header: offers co-browsing for a phone call, without a chat.
 * @csspart cobrowse - A co-browse panel (`lotse-cobrowse-panel`), in its chat's context or under "Co-Browsing am
 *   Telefon" at the top of the context region.
 * @csspart webcode - The webcode, big and grouped "123 456".
 * @csspart webcode-expiry - Until when the webcode works.
 * @csspart webcode-post - Posts the webcode into the chat.
 * @csspart cobrowse-status - What happens in the co-browse session now; how it ended.
 * @csspart start-code-input - The start code the visitor reads back.
 * @csspart start-code-time - How long the start code still works.
 * @csspart start-code-submit - Starts co-browsing.
 * @csspart cobrowse-error - A wrong start code (attempts left) or another co-browse problem.
 * @csspart viewer - The live view of the visitor's page.
 * @csspart viewer-status - What the live view shows.
 * @csspart cobrowse-end - Ends co-browsing.
 * @csspart cobrowse-withdraw - Withdraws a co-browse offer that is not live yet.
 * @csspart cobrowse-dismiss - Removes an ended co-browse session.
 * @csspart notify - The notification settings (`lotse-advisor-notify`): a new chat in the queue and a new message
 *   in a chat not in front sound a tone (on by default), show a desktop notification once allowed (without
 *   visitor text unless turned on) and count in the document title, "(3) …", until seen.
 * @csspart notify-sound - Turns the tone on and off.
 * @csspart notify-allow - Asks the browser for permission for desktop notifications.
 * @csspart notify-desktop - Turns desktop notifications on and off (once allowed).
 * @csspart notify-preview - Lets desktop notifications show the visitor's name and text.
 * @cssprop [--lotse-accent=#0a5a8a] - Buttons, active tab.
 * @cssprop [--lotse-on-accent=#ffffff] - Text on the accent colour.
 * @cssprop [--lotse-font=system-ui, sans-serif] - Font family.
 * @cssprop [--lotse-font-size=1rem] - Base font size (inputs never go below 16px).
 * @cssprop [--lotse-text=#1a1a1a] - Text colour.
 * @cssprop [--lotse-muted=#4f5660] - Secondary text.
 * @cssprop [--lotse-surface=#ffffff] - Background.
 * @cssprop [--lotse-subtle=#eef2f6] - Visitor bubbles and separators.
 * @cssprop [--lotse-advisor-bubble=#dcebf5] - Advisor bubbles.
 * @cssprop [--lotse-border=#8a949e] - Borders of inputs.
 * @cssprop [--lotse-danger=#a4161a] - Alerts and unread marks.
 * @cssprop [--lotse-away=#8a4b00] - The away marker and the presence line while the visitor's page is away.
 * @cssprop [--lotse-focus=#0a5a8a] - Focus ring.
 * @cssprop [--lotse-radius=6px] - Corner radius.
 * @cssprop [--lotse-console-padding=1rem] - Padding of the console.
 */
export class LotseAdvisorConsole extends LitElement {
  static override styles = [baseStyles, memberBadgeStyles, awayMarkerStyles, consoleStyles];

  @property() server: string | null = null;
  @property({ attribute: false }) token: string | undefined;
  @property({ type: Number, attribute: 'wide-from' }) wideFrom = 1280;
  @property({ type: Boolean, attribute: 'sign-in' }) signIn = false;
  /** @internal Test seam: the WebSocket constructor handed to the session instead of the browser's. */
  @property({ attribute: false }) webSocket: WebSocketLike | undefined;

  @state() private active: string | undefined;
  @state() private dismissedProblem: object | undefined;
  /** The region shown on a narrow console. */
  @state() private region: Region = 'lists';
  @state() private announcement = '';

  #session = new SessionController(
    this,
    () => ({ url: this.#url, token: this.#hostToken ? this.token : this.#signIn.token, WebSocket: this.webSocket }),
    () => this.#observe(),
  );
  #signIn = new SignInController(
    this,
    () => ({ server: serverBase(this.server), enabled: this.signIn && !this.#hostToken }),
    () => this.#session.sync(),
  );
  #localize = new LocalizeController(this);
  #layout = new LayoutController(this, () => this.wideFrom);
  #reads = new ReadController(
    this,
    () => this.active,
    (chatId) => this.#session.markRead(chatId),
  );
  #notify = new NotifyController(this, {
    front: () => this.active,
    texts: () => advisorTexts(this.#localize.lang).notify,
    select: (chatId) => (this.active = chatId),
  });
  #revision = 0;
  #connection: ConnectionState = 'idle';
  #accepting = new Set<string>();
  #ended = new Set<string>();
  #seen = new Map<string, number>();
  #notes = new Map<string, string>();
  #arrivals = new QueueArrivals();
  #focus: ConsoleFocus | undefined;
  #cobrowseStates = new Map<string, string>();
  /** Co-browse offers this console asked for and has not seen answered: a chat id, or '' for a phone call. */
  #offering = new Set<string>();

  constructor() {
    super();
    this.addEventListener('keydown', this.#shortcut);
  }

  /** How the regions are shown now: side by side (`columns`) or as tabs. */
  get layout(): 'columns' | 'tabs' {
    return this.#layout.wide ? 'columns' : 'tabs';
  }

  get #hostToken(): boolean {
    return this.token !== undefined && this.token !== '';
  }

  get #url(): string | undefined {
    const base = serverBase(this.server);
    return base === undefined ? undefined : socketUrl(base, 'advisor');
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('server') || changed.has('token') || changed.has('signIn')) this.#signIn.sync();
    if (changed.has('server') || changed.has('token') || changed.has('webSocket')) this.#session.sync();
    if (changed.has('wideFrom')) this.#layout.recheck();
    const chat = this.active === undefined ? undefined : this.#session.session?.chats.get(this.active);
    if (chat !== undefined) this.#seen.set(chat.chatId, visitorMessages(chat));
  }

  protected override updated(): void {
    const context = this.renderRoot.querySelector<HTMLElement>('#region-context');
    this.#layout.track(context);
    // The live view fits the context region's height beside the card and the session's lines, or takes half the
    // region on a short one (the rest scrolls). Through the CSSOM: no inline style for the page's CSP to allow.
    const height = this.#layout.regionHeight;
    if (height > 0) {
      const fit = Math.max(192, height - CONTEXT_BESIDE_VIEWER, Math.round(height / 2));
      context?.style.setProperty('--lotse-viewer-max-height', `${fit}px`);
    }
    const focus = this.#focus;
    this.#focus = undefined;
    if (focus !== undefined) focusTarget(this.renderRoot, focus, this.active).catch(reportError);
  }

  override render(): TemplateResult {
    const texts = advisorTexts(this.#localize.lang);
    const session = this.#session.session;
    return html`<section aria-label=${texts.consoleLabel} class="frame">
      ${session === undefined ? nothing : signInRenewal(this.#signIn, this.#localize.lang)}
      ${session === undefined ? this.renderSignedOut(texts) : this.renderSession(session, texts)}
    </section>`;
  }

  private renderSignedOut(texts: AdvisorTexts): TemplateResult {
    const panel = signInPanel(this.#signIn, this.#localize.lang);
    if (panel !== undefined) return panel;
    const message = this.token === undefined || this.token === '' ? texts.signedOut : texts.badServer;
    return html`<p part="signed-out" role="status">${message}</p>`;
  }

  private renderSession(session: AdvisorSession, texts: AdvisorTexts): TemplateResult {
    const problem = session.problem !== this.dismissedProblem ? session.problem : undefined;
    const chats = [...session.chats.values()];
    const cobrowse = byChat(session.cobrowse.sessions.values(), session.chats);
    const wide = this.#layout.wide;
    // Always in the DOM (a live region), taking no room while it has nothing to say.
    const transferred = transferStatus(session, texts, this.#localize.lang);
    const attrs = (region: Region) => regionAttributes(region, wide, this.region, texts);
    const lists = attrs('lists');
    const conversation = attrs('conversation');
    const context = attrs('context');
    // The notification settings fold away like the shortcuts: open, they would take the header's height all day.
    const notify = html`<details part="notify-settings" class="collapsible"><summary title=${texts.notify.settingsLabel}>
      ${labelled(bellIcon, texts.notify.settingsLabel)}</summary>
      <lotse-advisor-notify exportparts="notify, notify-sound, notify-allow, notify-desktop, notify-preview"
      .notify=${this.#notify} .settings=${this.#notify.settings}
      permission=${this.#notify.permission}></lotse-advisor-notify></details>`;
    const actions = this.#signIn.canSignOut ? { ...this.#headerActions, signOut: this.#signOut } : this.#headerActions;
    return html`${consoleHeader(session, cobrowse.phone, texts, actions, notify)}
      <div role="alert" part="problem">${
        problem === undefined
          ? nothing
          : html`<span>${errorText(texts, problem.code)}</span
          ><button type="button" class="secondary" @click=${() => (this.dismissedProblem = session.problem)}>
            ${texts.dismissProblem}</button>`
      }</div>
      <p part="announcement" role="status" class="visually-hidden">${this.announcement}</p>
      <p role="status" part="transfer-status" class=${transferred === '' ? 'visually-hidden' : ''}>${transferred}</p>
      ${wide ? nothing : regionTabs(this.region, session.queue.length, texts, this.#selectRegion)}
      <div class=${wide ? 'regions columns' : 'regions tabs'}>
        <section id="region-lists" part="region-lists" class="region" role=${lists.role}
          aria-label=${lists.label} aria-labelledby=${lists.labelledby} ?hidden=${lists.hidden}>
          <div part="lists" class="lists">
            <lotse-advisor-queue exportparts="queue-count, queue, queue-item, queue-position, queue-topic, visitor-away, accept, member-badge"
              .items=${session.queue} .topics=${session.topics} .mine=${session.myTopics}
              .clockOffset=${session.clockOffset} ?disabled=${session.connection !== 'connected'}
              .acceptChat=${this.#accept}></lotse-advisor-queue>
            ${
              session.callbacksOffered
                ? html`<lotse-callback-list
                    exportparts="callbacks-count, callbacks, callback, callback-phone, callback-claim, callback-done, callback-problem"
                    .items=${session.callbacks} ?more=${session.callbacksMore} .topics=${session.topics} .advisorId=${session.advisor?.id ?? ''}
                    .problem=${session.callbackProblem} ?disabled=${session.connection !== 'connected'}
                    .claim=${(id: string) => session.claimCallback(id)}
                    .done=${(id: string) => session.doneCallback(id)}></lotse-callback-list>`
                : nothing
            }
            <section aria-labelledby="chats-heading" class="chats">
              <h2 id="chats-heading" tabindex="-1">${texts.chatsHeading}</h2>
              ${
                chats.length === 0
                  ? html`<p class="muted">${texts.noChats}</p>`
                  : chatList({
                      chats,
                      active: this.active,
                      seen: this.#seen,
                      texts,
                      choose: this.#choose,
                      move: (chatId) => this.#show(chatId, 'tabs'),
                    })
              }
            </section>
          </div>
        </section>
        <section id="region-conversation" part="region-conversation" class="region" role=${conversation.role}
          aria-label=${conversation.label} aria-labelledby=${conversation.labelledby} ?hidden=${conversation.hidden}>
          ${chats.length === 0 ? html`<p class="muted">${texts.layout.noChatOpen}</p>` : this.renderConversations(chats)}
        </section>
        <section id="region-context" part="region-context" class="region" role=${context.role}
          aria-label=${context.label} aria-labelledby=${context.labelledby} ?hidden=${context.hidden}>
          ${this.renderPhone(cobrowse.phone, session.clockOffset, texts)}
          ${
            chats.length === 0 && cobrowse.phone.length === 0
              ? html`<p class="muted">${texts.layout.noContext}</p>`
              : this.renderContexts(chats, cobrowse.chat, session.clockOffset)
          }
        </section>
      </div>`;
  }

  private renderConversations(chats: AdvisorChat[]): TemplateResult {
    return html`${repeat(
      chats,
      (chat) => chat.chatId,
      (chat) => html`<div role="tabpanel" class="conversation" id=${`panel-${chat.chatId}`}
        aria-labelledby=${`tab-${chat.chatId}`} ?hidden=${chat.chatId !== this.active}>
        <lotse-advisor-conversation exportparts=${CONVERSATION_PARTS} .chat=${chat} .revision=${this.#revision}
          .actions=${this.#actions} .snippets=${this.#session.session?.snippets}
          .transfer=${this.#session.transferPort}></lotse-advisor-conversation>
      </div>`,
    )}`;
  }

  private renderContexts(
    chats: AdvisorChat[],
    cobrowse: Map<string, CobrowseSession[]>,
    clockOffset: number,
  ): TemplateResult {
    return html`${repeat(
      chats,
      (chat) => chat.chatId,
      (chat) => html`<lotse-advisor-context part="context" exportparts=${CONTEXT_PARTS} id=${`context-${chat.chatId}`}
        ?hidden=${chat.chatId !== this.active} .chat=${chat} .revision=${this.#revision}
        .cobrowse=${cobrowse.get(chat.chatId) ?? []} .cobrowseActions=${this.#cobrowse} .clockOffset=${clockOffset}
        .notes=${this.#notes.get(chat.chatId) ?? ''} .notesChange=${this.#notesChange}></lotse-advisor-context>`,
    )}`;
  }

  private renderPhone(
    phone: CobrowseSession[],
    clockOffset: number,
    texts: AdvisorTexts,
  ): TemplateResult | typeof nothing {
    if (phone.length === 0) return nothing;
    return html`<section aria-labelledby="phone-heading" class="phone">
      <h2 id="phone-heading">${texts.cobrowse.phoneHeading}</h2>
      ${repeat(
        phone,
        (item) => item.sessionId,
        (item) => html`<lotse-cobrowse-panel part="cobrowse" exportparts=${COBROWSE_PARTS} .session=${item}
          .revision=${this.#revision} .clockOffset=${clockOffset} .actions=${this.#cobrowse}></lotse-cobrowse-panel>`,
      )}
    </section>`;
  }

  #headerActions = {
    setPresence: (presence: 'available' | 'away') => this.#session.setPresence(presence),
    offerPhone: () => void this.#cobrowse.offer(),
  };

  /** "Abmelden": the session closes with the token gone; back on this page, the focus goes to "Anmelden". */
  #signOut = (): void => {
    this.#signIn.signOut().then(async (provider) => {
      emit(this, 'lotse-advisor-sign-out', { provider });
      if (provider) return;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLButtonElement>('[part="sign-in"]')?.focus();
    }, reportError);
  };

  #accept = (chatId: string): void => {
    this.#accepting.add(chatId);
    this.#session.accept(chatId);
  };

  #actions = {
    send: (chatId: string, text: string) => this.#session.send(chatId, text),
    input: (chatId: string) => this.#session.input(chatId),
    end: (chatId: string) => this.#session.end(chatId),
    dismiss: (chatId: string) => {
      this.#session.dismiss(chatId);
      this.#focusOn('tabs');
    },
  };

  #cobrowse: CobrowseActions = ((base: CobrowseActions): CobrowseActions => ({
    ...base,
    offer: (chatId?: string) => {
      const offered = base.offer(chatId);
      if (offered) this.#offering.add(chatId ?? '');
      return offered;
    },
  }))(cobrowseActions(this.#session, () => langOf(this)));

  #notesChange = (chatId: string, notes: string): void => {
    this.#notes.set(chatId, notes);
  };

  /** Shows `region` on a narrow console (a click, or an arrow key on the region tabs). */
  #selectRegion = (region: Region, focus: boolean): void => {
    this.region = region;
    if (focus) this.#focus = { region };
  };

  /** A chat's tab was clicked: it is shown; on a narrow console its conversation, with the focus in it. */
  #choose = (chatId: string): void => {
    if (this.#layout.wide) this.active = chatId;
    else this.#show(chatId, 'composer');
  };

  /** Shows chat `chatId` and puts the focus on its tab or in its composer. */
  #show(chatId: string, focus: 'tabs' | 'composer'): void {
    this.active = chatId;
    this.#focusOn(focus);
  }

  /** Where the focus goes after the next render; on a narrow console, the region it is in is shown. */
  #focusOn(focus: ConsoleFocus): void {
    this.#focus = focus;
    if (this.#layout.wide) return;
    if (focus === 'tabs') this.region = 'lists';
    else if (focus === 'composer') this.region = 'conversation';
    else if ('cobrowse' in focus) this.region = 'context';
  }

  #announce(text: string): void {
    // The same text again is a change too (a no-break space added or taken away), so it is heard again.
    this.announcement = text === this.announcement.trimEnd() ? `${text}\u00a0` : text;
  }

  #shortcut = (event: KeyboardEvent): void => {
    const shortcut = shortcutOf(event);
    const session = this.#session.session;
    if (shortcut === undefined || session === undefined) return;
    event.preventDefault();
    const chats = [...session.chats.keys()];
    switch (shortcut) {
      case 'next-chat':
      case 'previous-chat': {
        if (chats.length === 0) return;
        const index = chats.indexOf(this.active ?? '');
        const step = shortcut === 'next-chat' ? 1 : -1;
        const next = chats[(index + step + chats.length) % chats.length] ?? chats[0]!;
        const onTab = event
          .composedPath()
          .some((node) => node instanceof HTMLElement && node.dataset['chat'] !== undefined);
        this.#show(next, onTab ? 'tabs' : 'composer');
        return;
      }
      case 'composer':
        if (this.active !== undefined) this.#focusOn('composer');
        this.requestUpdate();
        return;
      case 'accept-next': {
        // The first as the queue shows it: the advisor's topics first (`ordered`).
        const next = ordered(session.queue, session.myTopics)[0]?.item;
        if (next === undefined || session.connection !== 'connected') {
          this.#announce(advisorTexts(langOf(this)).layout.nobodyToAccept);
          return;
        }
        this.#accept(next.chatId);
      }
    }
  };

  /** Called on every change of the session: derives the public events and keeps the active chat valid. */
  #observe(): void {
    this.#revision += 1;
    const session = this.#session.session;
    const connection = session?.connection ?? 'closed';
    if (connection !== this.#connection) {
      this.#connection = connection;
      emit(this, 'lotse-connection-change', { state: connection });
    }
    const chats = session?.chats ?? new Map<string, AdvisorChat>();
    for (const chat of chats.values()) {
      if (this.#accepting.delete(chat.chatId)) {
        this.#show(chat.chatId, 'composer');
        emit(this, 'lotse-advisor-chat-accept', { chatId: chat.chatId, visitor: chat.visitor });
      }
      if ((chat.lost || chat.log.ended) && !this.#ended.has(chat.chatId)) {
        this.#ended.add(chat.chatId);
        const ended = chat.log.events.find(({ event }) => event.kind === 'ended')?.event;
        const detail: LotseAdvisorChatEndDetail = { chatId: chat.chatId, reason: chat.log.ended ? 'ended' : 'lost' };
        if (ended?.kind === 'ended') detail.by = ended.by;
        emit(this, 'lotse-advisor-chat-end', detail);
      }
    }
    for (const map of [this.#ended, this.#seen, this.#notes])
      for (const id of map.keys()) if (!chats.has(id)) map.delete(id);
    const arrived = this.#arrivals.next(session?.queue ?? []);
    if (arrived.length > 0)
      this.#announce(advisorTexts(langOf(this)).layout.arrivals(arrived.map((item) => visitorName(item.visitor))));
    this.#observeCobrowse();
    if (this.active === undefined || !chats.has(this.active)) {
      this.active = chats.keys().next().value;
      // The first chat on a narrow console (one that comes back after a reload, say): its conversation is shown.
      if (this.active !== undefined && !this.#layout.wide && this.region === 'lists') this.region = 'conversation';
    }
    this.#notify.observe(session);
  }

  #observeCobrowse(): void {
    const sessions = this.#session.session?.cobrowse.sessions ?? new Map<string, CobrowseSession>();
    for (const item of sessions.values()) {
      const known = this.#cobrowseStates.has(item.sessionId);
      if (this.#cobrowseStates.get(item.sessionId) === item.state) continue;
      this.#cobrowseStates.set(item.sessionId, item.state);
      // The answer to an offer made here: the webcode shows under the button that asked, with the focus on it.
      if (!known && item.state === 'offered' && this.#offering.delete(item.chatId ?? '')) {
        this.#focusOn({ cobrowse: item.sessionId, chatId: item.chatId });
      }
      const detail: LotseAdvisorCobrowseChangeDetail = { sessionId: item.sessionId, state: item.state };
      if (item.chatId !== undefined) detail.chatId = item.chatId;
      if (item.endedBy !== undefined) detail.by = item.endedBy;
      emit(this, 'lotse-advisor-cobrowse-change', detail);
    }
    for (const id of this.#cobrowseStates.keys()) if (!sessions.has(id)) this.#cobrowseStates.delete(id);
  }
}

define('lotse-advisor-console', LotseAdvisorConsole);

declare global {
  interface HTMLElementTagNameMap {
    'lotse-advisor-console': LotseAdvisorConsole;
  }
}
