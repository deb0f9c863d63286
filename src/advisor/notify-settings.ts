/**
 * The advisor's notification settings: a tone (on by default), desktop notifications (off until the advisor has
 * allowed them with a click) and whether a desktop notification may show the visitor's nickname and text (off by
 * default: a notification can be read by anyone passing the screen, and the operating system may keep it).
 *
 * They persist in the advisor's `localStorage` under one key. The console is the insurer's internal application,
 * not a visitor page, so the visitor-side rule (nothing stored before consent, sessionStorage only) does not apply;
 * nothing about a chat is stored here, only three switches. A browser that refuses storage keeps the defaults.
 */
export interface NotifySettings {
  sound: boolean;
  desktop: boolean;
  preview: boolean;
}

export const NOTIFY_SETTINGS_KEY = 'lotse.advisor.notify';

export const NOTIFY_DEFAULTS: Readonly<NotifySettings> = { sound: true, desktop: false, preview: false };

export function loadNotifySettings(storage: Storage | undefined): NotifySettings {
  try {
    const raw = storage?.getItem(NOTIFY_SETTINGS_KEY);
    const parsed: unknown = raw == null ? undefined : JSON.parse(raw);
    const stored = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
    const flag = (key: keyof NotifySettings): boolean =>
      typeof stored[key] === 'boolean' ? stored[key] : NOTIFY_DEFAULTS[key];
    return { sound: flag('sound'), desktop: flag('desktop'), preview: flag('preview') };
  } catch {
    return { ...NOTIFY_DEFAULTS };
  }
}

export function saveNotifySettings(storage: Storage | undefined, settings: NotifySettings): void {
  try {
    storage?.setItem(NOTIFY_SETTINGS_KEY, JSON.stringify(settings));
  } catch {
    // Storage refused (private mode, quota): the settings hold for this page only.
  }
}

/** The page's localStorage, or undefined where reading it throws (a sandboxed frame). */
export function advisorStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}
