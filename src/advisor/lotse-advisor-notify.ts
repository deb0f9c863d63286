import { LitElement, css, html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { advisorTexts } from '../i18n/advisor.js';
import { LocalizeController } from '../dom/localize.js';
import { define } from '../dom/define.js';
import type { NotifyController, NotifyPermission } from './notify-controller.js';
import { NOTIFY_DEFAULTS } from './notify-settings.js';
import type { NotifySettings } from './notify-settings.js';
import { baseStyles } from './styles.js';

/**
 * The console's notification settings: the tone, desktop notifications (a button that asks the browser for
 * permission, the only place that ever asks) and whether desktop notifications may show visitor text. Native
 * checkboxes in a fieldset, so the group and each switch have their names. It holds no state: the console's
 * `NotifyController` does, and hands its settings down.
 *
 * @tag lotse-advisor-notify
 * @prop {NotifyController | undefined} notify - The controller whose settings this shows and changes.
 * @prop {NotifySettings} settings - The settings to show (a new object on every change).
 * @prop {string} permission - The browser's notification permission, or `unsupported`.
 * @csspart notify - The fieldset.
 * @csspart notify-sound - The tone checkbox.
 * @csspart notify-allow - The button that asks for permission for desktop notifications.
 * @csspart notify-desktop - The desktop notification checkbox (once allowed).
 * @csspart notify-preview - The checkbox that lets desktop notifications show visitor text.
 */
export class LotseAdvisorNotify extends LitElement {
  static override styles = [
    baseStyles,
    css`
      fieldset {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 1rem;
        align-items: center;
        margin: 0;
        padding: 0.25rem 0.75rem 0.5rem;
        border: 1px solid var(--_subtle);
        border-radius: var(--_radius);
      }
      legend {
        padding: 0 0.25rem;
        color: var(--_muted);
        font-size: 0.9em;
      }
      label {
        display: inline-flex;
        gap: 0.4rem;
        align-items: center;
      }
      input {
        width: 1.1rem;
        height: 1.1rem;
        margin: 0;
        accent-color: var(--_accent);
      }
      p {
        margin: 0;
        color: var(--_muted);
      }
    `,
  ];

  @property({ attribute: false }) notify: NotifyController | undefined;
  @property({ attribute: false }) settings: NotifySettings = { ...NOTIFY_DEFAULTS };
  @property() permission: NotifyPermission = 'unsupported';

  #localize = new LocalizeController(this);

  override render(): TemplateResult {
    const texts = advisorTexts(this.#localize.lang).notify;
    const { settings, permission } = this;
    return html`<fieldset part="notify">
      <legend>${texts.settingsLabel}</legend>
      <label><input type="checkbox" part="notify-sound" .checked=${settings.sound}
        @change=${this.#toggle('sound')} />${texts.sound}</label>
      ${
        permission === 'granted'
          ? html`<label><input type="checkbox" part="notify-desktop" .checked=${settings.desktop}
              @change=${this.#toggle('desktop')} />${texts.desktop}</label>`
          : permission === 'default'
            ? html`<button type="button" class="secondary" part="notify-allow"
                @click=${() => this.notify?.requestPermission()}>${texts.allowDesktop}</button>`
            : permission === 'denied'
              ? html`<p>${texts.desktopDenied}</p>`
              : nothing
      }
      ${
        permission === 'granted'
          ? html`<label><input type="checkbox" part="notify-preview" .checked=${settings.preview}
              ?disabled=${!settings.desktop} @change=${this.#toggle('preview')} />${texts.preview}</label>`
          : nothing
      }
    </fieldset>`;
  }

  #toggle(key: keyof NotifySettings): (event: Event) => void {
    return (event) => this.notify?.set(key, (event.target as HTMLInputElement).checked);
  }
}

define('lotse-advisor-notify', LotseAdvisorNotify);

declare global {
  interface HTMLElementTagNameMap {
    'lotse-advisor-notify': LotseAdvisorNotify;
  }
}
