/**
 * Step 4 (lower half): the chat is over and deleted on the server (an anonymous chat; a member's transcript is
 * kept as the terms say). The visitor may copy the transcript (from memory, client side) and close. If the
 * clipboard is refused, the transcript is shown selected to copy by hand (`CopyController` in `copy-controller.ts`
 * does the copying).
 *
 * Part of the pop-up's later chunk (`chat-later.ts`), with its texts (`i18n/chat-later.ts`); rendered into the
 * pop-up's shadow root, with the pop-up's styles.
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { LaterText } from '../i18n/chat-later.js';
import type { CopyState } from './copy-controller.js';

export interface EndedViewProps {
  text: LaterText;
  lost: boolean;
  /** A member chat: its transcript is kept on the server, so the anonymous chat's "deleted" would be wrong. */
  member: boolean;
  /** The server refused the start (member token, no room): there was no chat to speak of. */
  refused: boolean;
  /** After the message: the callback offer when the server had no room for the chat. */
  offer: TemplateResult | typeof nothing;
  /** The confirmation of a callback requested instead of waiting (it ended the chat); empty: none. */
  callbackDone: string;
  /** The server confirmed the end; until then the chat may still be on the server (until its timeout). */
  confirmed: boolean;
  copy: CopyState;
  transcript: string;
  onCopy: () => void;
  onClose: () => void;
}

export function endedView(props: EndedViewProps): TemplateResult {
  const { text } = props;
  const say = props.member ? text.member : text;
  const message = props.refused
    ? text.member.refused
    : props.lost
      ? say.lost
      : props.confirmed
        ? say.ended
        : say.ending;
  return html`<div class="ended">
    <p part="ended">${message}</p>
    ${
      props.callbackDone
        ? html`<p part="callback-done" tabindex="-1" data-autofocus>${props.callbackDone}</p>`
        : props.offer
    }
    <button class="primary" part="copy" type="button" data-autofocus @click=${props.onCopy}>${text.copy}</button>
    <p class="hint" role="status">${props.copy === 'copied' ? text.copied : nothing}</p>
    ${
      props.copy === 'fallback'
        ? html`<label class="field-label" for="transcript">${text.transcriptLabel}</label>
          <textarea
            id="transcript"
            part="transcript"
            readonly
            rows="6"
            aria-describedby="transcript-hint"
            .value=${props.transcript}
          ></textarea>
          <p id="transcript-hint" class="hint">${text.transcriptHint}</p>`
        : nothing
    }
    <button class="secondary" part="close" type="button" @click=${props.onClose}>${text.close}</button>
  </div>`;
}
