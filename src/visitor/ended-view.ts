/**
 * Step 4 (lower half): the chat is over and deleted on the server. The visitor may copy the transcript (from
 * memory, client side) and close. If the clipboard is refused, the transcript is shown selected to copy by hand.
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { ChatText } from '../i18n/chat.js';

/** Writes to the clipboard; false when it is missing or refused (no permission, insecure context). */
export async function copyText(text: string): Promise<boolean> {
  const clipboard: Clipboard | undefined = navigator.clipboard;
  if (clipboard === undefined) return false;
  try {
    await clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

export type CopyState = 'idle' | 'copied' | 'fallback';

export interface EndedViewProps {
  text: ChatText;
  lost: boolean;
  copy: CopyState;
  transcript: string;
  onCopy: () => void;
  onClose: () => void;
}

export function endedView(props: EndedViewProps): TemplateResult {
  const { text } = props;
  return html`<div class="ended">
    <p part="ended">${props.lost ? text.lost : text.ended}</p>
    <button class="primary" part="copy" type="button" data-autofocus @click=${props.onCopy}>${text.copy}</button>
    <p class="hint" role="status">${props.copy === 'copied' ? text.copied : nothing}</p>
    ${props.copy === 'fallback'
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
      : nothing}
    <button class="secondary" part="close" type="button" @click=${props.onClose}>${text.close}</button>
  </div>`;
}
