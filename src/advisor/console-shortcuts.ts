/**
 * The console's keyboard shortcuts, read off a keydown while the focus is in the console (they never act on the
 * host page's keys). Alt plus a key, because Alt+arrows and Alt+letters clash with neither the browsers
 * (Alt+Left/Right are back and forward, left alone; Ctrl+Tab and Ctrl+Page Up/Down switch browser tabs) nor the
 * screen readers (NVDA and JAWS use Insert or Caps Lock, and Ctrl+Alt+arrows for tables; VoiceOver Ctrl+Option):
 *
 * - Alt+Down / Alt+Up: the next / previous chat (as Slack and Teams move between conversations);
 * - Alt+C: into the active chat's message field ("composer");
 * - Alt+N: accept the next waiting chat.
 *
 * Letters are matched by the physical key (`code`), so they work on any layout. Where Alt+letter types a character
 * (macOS Option+N is a tilde, Option+C a cedilla on a German Mac), the character wins inside a text field.
 */
export type ConsoleShortcut = 'next-chat' | 'previous-chat' | 'composer' | 'accept-next';

const LETTERS: Record<string, ConsoleShortcut> = { KeyC: 'composer', KeyN: 'accept-next' };

function inTextField(event: KeyboardEvent): boolean {
  const target = event.composedPath()[0];
  return (
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLInputElement ||
    (target instanceof HTMLElement && target.isContentEditable)
  );
}

/** The shortcut a keydown asks for, if any. */
export function shortcutOf(event: KeyboardEvent): ConsoleShortcut | undefined {
  if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || event.isComposing) return undefined;
  if (event.key === 'ArrowDown') return 'next-chat';
  if (event.key === 'ArrowUp') return 'previous-chat';
  const shortcut = LETTERS[event.code];
  if (shortcut === undefined) return undefined;
  const key = event.key.toLowerCase();
  const letter = event.code.slice(3).toLowerCase();
  const typesCharacter = key !== letter && (key.length === 1 || key === 'dead');
  return typesCharacter && inTextField(event) ? undefined : shortcut;
}
