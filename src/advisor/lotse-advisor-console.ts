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
import './lotse-advisor-conversation.js';
import { CARD_PARTS, COBROWSE_PARTS } from './lotse-advisor-conversation.js';
import './lotse-cobrowse-panel.js';
import type { CobrowseActions } from './lotse-cobrowse-panel.js';
import { busy, byChat, cobrowseActions } from './cobrowse-actions.js';
import type { LotseAdvisorConversation } from './lotse-advisor-conversation.js';
import './lotse-advisor-queue.js';
import { serverBase, socketUrl } from '../dom/server-url.js';
import { awayMarker, awayMarkerStyles } from './away-marker.js';
import { ReadController } from './read-controller.js';
import './lotse-advisor-notify.js';
import { NotifyController } from './notify-controller.js';
import { SessionController } from './session-controller.js';
import { baseStyles } from './styles.js';
import { memberBadge, memberBadgeStyles, visitorName } from './visitor-name.js';

const CONVERSATION_PARTS =
  `visitor-card, ${CARD_PARTS}, visitor-presence, log, message, message-visitor, message-advisor, message-pending, ` +
  'read-receipt, system, typing, ' +
  'chat-problem, composer, send, end, notice, dismiss, cobrowse-offer, cobrowse, ' +
  COBROWSE_PARTS;

function visitorMessages(chat: AdvisorChat): number {
  return chat.log.events.filter(({ event }) => event.kind === 'message' && event.from === 'visitor').length;
}

/**
 * The advisor's console: presence, the queue of waiting visitors, and the chats the advisor holds, several at
 * once, one shown at a time. Give it the Lotse server's base URL as `server` and the advisor's signed token as
 * the `token` property (never an attribute: it does not belong in the DOM). Without a token it shows that the
 * advisor is not signed in.
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
 * @fires {CustomEvent<LotseConnectionChangeDetail>} lotse-connection-change - The connection state changed;
 *   `detail.state`.
 * @fires {CustomEvent<LotseAdvisorChatAcceptDetail>} lotse-advisor-chat-accept - A chat this advisor accepted from
 *   the queue is now theirs; `detail.chatId`, `detail.visitor`.
 * @fires {CustomEvent<LotseAdvisorChatEndDetail>} lotse-advisor-chat-end - A chat ended or was lost;
 *   `detail.chatId`, `detail.reason`, `detail.by`. Once per chat.
 * @fires {CustomEvent<LotseAdvisorCobrowseChangeDetail>} lotse-advisor-cobrowse-change - A co-browse session
 *   changed state; `detail.sessionId`, `detail.chatId`, `detail.state` (offered, joined, consented, connecting,
 *   live, ended), `detail.by` once ended.
 * @fires {CustomEvent<LotseAdvisorCobrowseFrameDetail>} lotse-advisor-cobrowse-frame - From the co-browse viewer:
 *   the visitor's changes are in the view; `detail.sessionId`, `detail.at` (performance.now()), `detail.events`,
 *   `detail.timestamp` (visitor's clock).
 * @csspart header - The top bar.
 * @csspart advisor-name - The advisor's name.
 * @csspart presence - The available/away switch (`role="switch"`).
 * @csspart status - The connection state (`role="status"`).
 * @csspart problem - Alert for console-wide problems (another advisor already took the chat, …).
 * @csspart signed-out - The "not signed in" or configuration notice.
 * @csspart queue-count - How many people are waiting (a polite status, announced when it changes).
 * @csspart queue - The list of waiting chats.
 * @csspart queue-item - One waiting chat.
 * @csspart queue-position - A waiting chat's place in the queue (1 = next), as the visitor is told it.
 * @csspart visitor-away - The marker on a queue item or chat tab while the visitor's page is away.
 * @csspart accept - The button that accepts a waiting chat.
 * @csspart chat-tab - One tab per chat the advisor holds.
 * @csspart unread - The unread count on a tab.
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
 * @csspart system - A line about the chat itself (joined, left, ended).
 * @csspart typing - The visitor's typing indicator.
 * @csspart chat-problem - Alert about the active chat.
 * @csspart composer - The message text area.
 * @csspart send - The send button.
 * @csspart end - The button that ends the chat.
 * @csspart notice - What happened to an ended or lost chat.
 * @csspart dismiss - The button that removes an ended or lost chat.
 * @csspart cobrowse-offer - In a chat: offers co-browsing (asks for a webcode for this chat).
 * @csspart cobrowse-offer-phone - In the header: offers co-browsing for a phone call, without a chat.
 * @csspart cobrowse - A co-browse panel (`lotse-cobrowse-panel`), in its chat or under "Co-Browsing am Telefon".
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
 * @cssprop [--lotse-log-height=24rem] - Largest height of the message log before it scrolls.
 * @cssprop [--lotse-console-padding=1rem] - Padding of the console.
 * @cssprop [--lotse-viewer-max-height=70vh] - Largest height of the co-browse view.
 */
export class LotseAdvisorConsole extends LitElement {
  static override styles = [baseStyles, memberBadgeStyles, awayMarkerStyles, consoleStyles];

  @property() server: string | null = null;
  @property({ attribute: false }) token: string | undefined;
  /** @internal Test seam: the WebSocket constructor handed to the session instead of the browser's. */
  @property({ attribute: false }) webSocket: WebSocketLike | undefined;

  @state() private active: string | undefined;
  @state() private dismissedProblem: object | undefined;

  #session = new SessionController(
    this,
    () => ({ url: this.#url, token: this.token, WebSocket: this.webSocket }),
    () => this.#observe(),
  );
  #localize = new LocalizeController(this);
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
  #focus: 'composer' | 'tabs' | undefined;
  #cobrowseStates = new Map<string, string>();

  get #url(): string | undefined {
    const base = serverBase(this.server);
    return base === undefined ? undefined : socketUrl(base, 'advisor');
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('server') || changed.has('token') || changed.has('webSocket')) this.#session.sync();
    const chat = this.active === undefined ? undefined : this.#session.session?.chats.get(this.active);
    if (chat !== undefined) this.#seen.set(chat.chatId, visitorMessages(chat));
  }

  protected override updated(): void {
    const focus = this.#focus;
    this.#focus = undefined;
    if (focus === 'tabs') {
      (
        this.renderRoot.querySelector<HTMLElement>('[role="tab"][aria-selected="true"]') ??
        this.renderRoot.querySelector<HTMLElement>('#chats-heading')
      )?.focus();
    } else if (focus === 'composer') {
      const conversation = this.renderRoot.querySelector<LotseAdvisorConversation>(
        `#panel-${this.active ?? ''} lotse-advisor-conversation`,
      );
      conversation?.updateComplete.then(() => conversation.focusComposer(), reportError);
    }
  }

  override render(): TemplateResult {
    const texts = advisorTexts(this.#localize.lang);
    const session = this.#session.session;
    return html`<section aria-label=${texts.consoleLabel}>
      ${session === undefined ? this.renderSignedOut(texts) : this.renderSession(session, texts)}
    </section>`;
  }

  private renderSignedOut(texts: AdvisorTexts): TemplateResult {
    const message = this.token === undefined || this.token === '' ? texts.signedOut : texts.badServer;
    return html`<p part="signed-out" role="status">${message}</p>`;
  }

  private renderSession(session: AdvisorSession, texts: AdvisorTexts): TemplateResult {
    const available = session.presence === 'available';
    const problem = session.problem !== this.dismissedProblem ? session.problem : undefined;
    const chats = [...session.chats.values()];
    const cobrowse = byChat(session.cobrowse.sessions.values(), session.chats);
    return html`<header part="header">
        <p part="advisor-name">${session.advisor?.name ?? nothing}</p>
        <button type="button" role="switch" part="presence" aria-checked=${available ? 'true' : 'false'}
          @click=${() => this.#session.setPresence(available ? 'away' : 'available')}>
          <span class="track" aria-hidden="true"></span>${texts.presenceLabel}
        </button>
        <p role="status" part="status">${texts.connection[session.connection]}</p>
        <button type="button" part="cobrowse-offer-phone" class="secondary"
          ?disabled=${session.connection !== 'connected' || cobrowse.phone.some((c) => c.chatId === undefined && busy(c))}
          @click=${() => this.#cobrowse.offer()}>${texts.cobrowse.offerPhone}</button>
        <lotse-advisor-notify exportparts="notify, notify-sound, notify-allow, notify-desktop, notify-preview"
          .notify=${this.#notify} .settings=${this.#notify.settings}
          permission=${this.#notify.permission}></lotse-advisor-notify>
      </header>
      <div role="alert" part="problem">${
        problem === undefined
          ? nothing
          : html`<span>${errorText(texts, problem.code)}</span
          ><button type="button" class="secondary" @click=${() => (this.dismissedProblem = session.problem)}>
            ${texts.dismissProblem}</button>`
      }</div>
      <div class="body">
        <lotse-advisor-queue exportparts="queue-count, queue, queue-item, queue-position, visitor-away, accept, member-badge"
          .items=${session.queue}
          .clockOffset=${session.clockOffset} ?disabled=${session.connection !== 'connected'}
          .acceptChat=${this.#accept}></lotse-advisor-queue>
        <section aria-labelledby="chats-heading">
          <h2 id="chats-heading" tabindex="-1">${texts.chatsHeading}</h2>
          ${chats.length === 0 ? html`<p class="muted">${texts.noChats}</p>` : this.renderChats(chats, cobrowse.chat, texts)}
        </section>
        ${
          cobrowse.phone.length === 0
            ? nothing
            : html`<section aria-labelledby="phone-heading" class="phone">
          <h2 id="phone-heading">${texts.cobrowse.phoneHeading}</h2>
          ${repeat(
            cobrowse.phone,
            (item) => item.sessionId,
            (item) => html`<lotse-cobrowse-panel part="cobrowse"
            exportparts=${COBROWSE_PARTS} .session=${item} .revision=${this.#revision}
            .clockOffset=${session.clockOffset} .actions=${this.#cobrowse}></lotse-cobrowse-panel>`,
          )}
        </section>`
        }
      </div>`;
  }

  private renderChats(
    chats: AdvisorChat[],
    cobrowse: Map<string, CobrowseSession[]>,
    texts: AdvisorTexts,
  ): TemplateResult {
    return html`<div role="tablist" aria-labelledby="chats-heading" @keydown=${this.#tabKey}>
        ${repeat(
          chats,
          (chat) => chat.chatId,
          (chat) => {
            const selected = chat.chatId === this.active;
            const unread = selected ? 0 : visitorMessages(chat) - (this.#seen.get(chat.chatId) ?? 0);
            return html`<button type="button" role="tab" part="chat-tab" id=${`tab-${chat.chatId}`}
            aria-selected=${selected ? 'true' : 'false'} aria-controls=${`panel-${chat.chatId}`}
            tabindex=${selected ? '0' : '-1'} data-chat=${chat.chatId} @click=${() => (this.active = chat.chatId)}>
            <bdi>${visitorName(chat.visitor)}</bdi> ${memberBadge(chat.visitor, texts)}${
              chat.away && !chat.lost && !chat.log.ended ? awayMarker(texts) : nothing
            }${
              unread > 0
                ? html`<span part="unread" aria-hidden="true">${unread}</span
                  ><span class="visually-hidden">${texts.unread(unread)}</span>`
                : nothing
            }
          </button>`;
          },
        )}
      </div>
      ${repeat(
        chats,
        (chat) => chat.chatId,
        (chat) => html`<div role="tabpanel" id=${`panel-${chat.chatId}`}
          aria-labelledby=${`tab-${chat.chatId}`} ?hidden=${chat.chatId !== this.active}>
          <lotse-advisor-conversation exportparts=${CONVERSATION_PARTS} .chat=${chat} .revision=${this.#revision}
            .actions=${this.#actions} .cobrowse=${cobrowse.get(chat.chatId) ?? []} .cobrowseActions=${this.#cobrowse}
            .clockOffset=${this.#session.session?.clockOffset ?? 0}></lotse-advisor-conversation>
        </div>`,
      )}`;
  }

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
      this.#focus = 'tabs';
    },
  };

  #cobrowse: CobrowseActions = cobrowseActions(this.#session, () => langOf(this));

  /** Arrow keys, Home and End move between the chat tabs (and show the chat): the usual tablist keyboard. */
  #tabKey = (event: KeyboardEvent): void => {
    const tabs = [...this.renderRoot.querySelectorAll<HTMLElement>('[role="tab"]')];
    const index = tabs.findIndex((tab) => tab.dataset['chat'] === this.active);
    const next: Record<string, number> = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 };
    const target = next[event.key];
    if (target === undefined || tabs.length === 0) return;
    event.preventDefault();
    const tab = tabs[(target + tabs.length) % tabs.length];
    this.active = tab?.dataset['chat'];
    this.#focus = 'tabs';
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
        this.active = chat.chatId;
        this.#focus = 'composer';
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
    for (const set of [this.#ended, this.#seen]) for (const id of set.keys()) if (!chats.has(id)) set.delete(id);
    this.#observeCobrowse();
    if (this.active === undefined || !chats.has(this.active)) this.active = chats.keys().next().value;
    this.#notify.observe(session);
  }

  #observeCobrowse(): void {
    const sessions = this.#session.session?.cobrowse.sessions ?? new Map<string, CobrowseSession>();
    for (const item of sessions.values()) {
      if (this.#cobrowseStates.get(item.sessionId) === item.state) continue;
      this.#cobrowseStates.set(item.sessionId, item.state);
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
