/**
 * The member token side of a member chat: asks the page's source for a token before every `chat.start` and
 * `chat.resume`, drops an answer that came too late, and remembers which token the server called expired so
 * that the same one is not sent again and again. The token itself is kept only while the frame is built.
 */

/**
 * Where a member token comes from: the member area's short-lived signed token, or `undefined` when there is none
 * (any more). Called before every `chat.start` and `chat.resume`; may fetch a fresh one from the member area.
 */
export type MemberTokenSource = () => string | undefined | Promise<string | undefined>;

export class MemberTokens {
  #source: MemberTokenSource;
  /** Counts the asks: an answer to an older ask than the last is dropped. */
  #asked = 0;
  #sent: string | undefined;
  #expired: string | undefined;
  /** After an expiry the source is asked once more by itself; further tries wait for `renewed()`. */
  #retried = false;

  constructor(source: MemberTokenSource) {
    this.#source = source;
  }

  /**
   * Asks the source for a token (it may be slow: a request to the member area). `use` gets it unless `wanted()`
   * says the moment has passed (the socket dropped) or a newer ask was made meanwhile; `missing` is called when
   * there is no token, or only the one the server called expired.
   */
  ask(use: (token: string) => void, missing: () => void, wanted: () => boolean): void {
    const ask = ++this.#asked;
    const answer = (token: string | undefined): void => {
      if (ask !== this.#asked || !wanted()) return;
      if (typeof token !== 'string' || token === '' || token === this.#expired) {
        missing();
        return;
      }
      this.#sent = token;
      use(token);
    };
    let got: ReturnType<MemberTokenSource>;
    try {
      got = this.#source();
    } catch {
      got = undefined;
    }
    // A token at hand goes out at once; a promise (or any thenable a page's framework returns) when it settles.
    if (typeof got === 'string' || got === undefined || got === null) answer(got ?? undefined);
    else Promise.resolve(got).then(answer, () => answer(undefined));
  }

  /** The server called the last token sent expired. True once per expiry streak: ask again by itself. */
  expired(): boolean {
    this.#expired = this.#sent;
    if (this.#retried) return false;
    this.#retried = true;
    return true;
  }

  /** A fresh token is there, or the server accepted one: the next ask starts afresh. */
  renewed(): void {
    this.#expired = undefined;
    this.#retried = false;
  }
}
