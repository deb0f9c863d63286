/**
 * Step 2: the nickname, the only thing the anonymous chat asks for. Validated inline; submitting starts the chat.
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { ChatText } from '../i18n/chat.js';
import { MAX_NICKNAME_LENGTH, MIN_NICKNAME_LENGTH } from '../protocol/limits.js';
import { nicknameProblem } from '../protocol/text.js';

/** What is wrong with a nickname: the server's own rule (`nicknameProblem`), so it never refuses what passed here. */
export type NicknameError = NonNullable<ReturnType<typeof nicknameProblem>>;

/** What is wrong with a nickname, or `undefined` if the server will take it. */
export function checkNickname(value: string): NicknameError | undefined {
  return nicknameProblem(value);
}

export interface NicknameViewProps {
  text: ChatText;
  error: NicknameError | undefined;
  onInput: (event: Event) => void;
  onSubmit: (event: SubmitEvent) => void;
}

export function nicknameView(props: NicknameViewProps): TemplateResult {
  const { text, error } = props;
  const message = error === undefined ? undefined : text.nicknameErrors[error];
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
