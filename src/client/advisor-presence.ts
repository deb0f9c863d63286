/**
 * The advisor's own presence (available for new chats, or away): what the advisor chose, and what the console
 * shows. Until the advisor picks one, the console shows what the server remembers; after that, the advisor's
 * choice wins (it may have been made while offline, when no `advisor.presence` could be sent). While the chat is
 * closed (opening hours) the server says `away` whatever was chosen: shown, but not taken as a choice.
 */
export type Presence = 'available' | 'away';

export class AdvisorPresence {
  /** What the console shows. */
  shown: Presence = 'available';
  /** The advisor chose a presence in this session: it wins over what the server remembers. */
  #chosen = false;
  /** The advisor's own presence; `shown` is `away` instead while the chat is closed. */
  #choice: Presence = 'available';

  /** The advisor's own choice at this moment. */
  get choice(): Presence {
    return this.#choice;
  }

  /** The advisor picked `status`. */
  choose(status: Presence): void {
    this.shown = status;
    this.#choice = status;
    this.#chosen = true;
  }

  /** `advisor.welcome`: returns the advisor's choice when the server has to be told it again. */
  welcome(remembered: Presence, closed: boolean): Presence | undefined {
    if (!this.#chosen) {
      this.shown = remembered;
      if (!closed) this.#choice = remembered;
      return undefined;
    }
    this.shown = closed ? 'away' : this.#choice;
    return !closed && remembered !== this.#choice ? this.#choice : undefined;
  }

  /** `advisor.presence` from the server (this advisor's choice in another tab, or the opening hours). */
  told(status: Presence, closed: boolean): void {
    this.shown = status;
    if (!closed) this.#choice = status;
  }
}
