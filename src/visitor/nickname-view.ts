/**
 * Step 2: the nickname, the only thing the anonymous chat asks for. Validated inline; submitting starts the chat.
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { ChatText } from '../i18n/chat.js';
import { MAX_NICKNAME_LENGTH, MIN_NICKNAME_LENGTH } from '../protocol/limits.js';

export type NicknameError = 'short' | 'invalid';

/** What is wrong with a nickname, or `undefined` if the server will take it. */
export function checkNickname(value: string): NicknameError | undefined {
  const nickname = value.trim();
  if (nickname.length < MIN_NICKNAME_LENGTH) return 'short';
  if (nickname.length > MAX_NICKNAME_LENGTH || /[\u0000-\u001F\u007F]/.test(nickname)) return 'invalid';
  return undefined;
}

export interface NicknameViewProps {
  text: ChatText;
  error: NicknameError | undefined;
  onInput: (event: Event) => void;
  onSubmit: (event: SubmitEvent) => void;
}

export function nicknameView(props: NicknameViewProps): TemplateResult {
  const { text, error } = props;
  const message = error === 'short' ? text.nicknameTooShort : error === 'invalid' ? text.nicknameInvalid : undefined;
  return html`<form class="step" novalidate @submit=${props.onSubmit}>
    <label class="field-label" for="nickname">${text.nicknameLabel}</label>
    <input
      id="nickname"
      part="nickname"
      name="nickname"
      type="text"
      required
      minlength=${MIN_NICKNAME_LENGTH}
      maxlength=${MAX_NICKNAME_LENGTH}
      autocomplete="off"
      spellcheck="false"
      aria-invalid=${message === undefined ? 'false' : 'true'}
      aria-describedby=${message === undefined ? 'nickname-hint' : 'nickname-error nickname-hint'}
      data-autofocus
      @input=${props.onInput}
    />
    ${message === undefined ? nothing : html`<p id="nickname-error" class="error" part="nickname-error" role="alert">${message}</p>`}
    <p id="nickname-hint" class="hint">${text.nicknameHint}</p>
    <button class="primary" part="nickname-submit" type="submit">${text.nicknameSubmit}</button>
  </form>`;
}
