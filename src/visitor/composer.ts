/**
 * The composer's handlers for the pop-up's conversation: Enter sends, Shift+Enter is a new line (an IME composing
 * a word keeps its Enter), and the text goes out as the server will take it (`normaliseText`); a text that is empty
 * then is not sent. The field is cleared only when the chat took the message.
 */
import { normaliseText } from '../protocol/text.js';

export interface ComposerHandlers {
  onKeydown: (event: KeyboardEvent) => void;
  onInput: () => void;
  onSend: (event: SubmitEvent) => void;
}

export function composerHandlers(
  root: () => ParentNode,
  chat: { send(text: string): boolean; input(): void },
): ComposerHandlers {
  const send = (): void => {
    const composer = root().querySelector<HTMLTextAreaElement>('#composer');
    const message = normaliseText(composer?.value ?? '');
    if (composer === null || message === '') return;
    if (chat.send(message)) composer.value = '';
  };
  return {
    onKeydown: (event) => {
      if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
      event.preventDefault();
      send();
    },
    onInput: () => chat.input(),
    onSend: (event) => {
      event.preventDefault();
      send();
    },
  };
}
