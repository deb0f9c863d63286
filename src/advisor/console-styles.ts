/**
 * The console's frame: it fills the height it is given (at most the viewport's) and lays out its three regions,
 * side by side (`.columns`) or as tabs (`.tabs`), each scrolling on its own, so that the conversation's composer
 * and the live view stay in view.
 */
import { css } from 'lit';

export const consoleStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    height: 100%;
    max-height: 100dvh;
    min-height: 0;
    padding: var(--lotse-console-padding, 1rem);
    background: var(--_surface);
  }
  .frame {
    display: flex;
    flex: 1 1 auto;
    flex-direction: column;
    min-height: 0;
  }
  [part='header'] {
    /* The header's width decides which controls show their icon alone (below). */
    container: console-header / inline-size;
    display: flex;
    flex-wrap: wrap;
    gap: 0.75rem 1.5rem;
    align-items: center;
    padding-bottom: 0.75rem;
    border-bottom: 1px solid var(--_subtle);
  }
  [part='advisor-name'] {
    margin: 0;
    font-size: 1.15rem;
    font-weight: 600;
  }
  [part='presence'] {
    display: inline-flex;
    gap: 0.5rem;
    align-items: center;
    background: var(--_surface);
    color: var(--_text);
    border-color: var(--_border);
  }
  .track {
    position: relative;
    width: 2.4rem;
    height: 1.3rem;
    border-radius: 1rem;
    background: var(--_muted);
  }
  .track::after {
    content: '';
    position: absolute;
    top: 0.15rem;
    left: 0.15rem;
    width: 1rem;
    height: 1rem;
    border-radius: 50%;
    background: var(--_surface);
    transition: transform 0.15s;
  }
  [aria-checked='true'] .track {
    background: var(--_accent);
  }
  [aria-checked='true'] .track::after {
    transform: translateX(1.1rem);
  }
  [part='status'] {
    margin: 0 0 0 auto;
    color: var(--_muted);
  }
  .icon {
    flex: none;
    width: 1.25rem;
    height: 1.25rem;
    fill: none;
    stroke: currentColor;
    stroke-width: 1.8;
    stroke-linecap: round;
    stroke-linejoin: round;
  }
  summary .icon {
    margin-right: 0.35rem;
    vertical-align: -0.25em;
  }
  button.with-icon {
    display: inline-flex;
    gap: 0.4rem;
    align-items: center;
  }
  /* Icon alone where the labels would wrap the header: the label stays the control's name (and its tooltip). */
  @container console-header (max-width: 88rem) {
    .collapsible .label {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
      white-space: nowrap;
    }
    summary .icon {
      margin-right: 0;
    }
    button.collapsible {
      padding-inline: 0.6rem;
    }
  }
  @container console-header (max-width: 70rem) {
    [part='cobrowse-offer-phone'] .label {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
      white-space: nowrap;
    }
    [part='cobrowse-offer-phone'] {
      padding-inline: 0.6rem;
    }
  }
  [part='shortcuts'],
  [part='notify-settings'] {
    position: relative;
  }
  [part='notify-settings'] > lotse-advisor-notify {
    position: absolute;
    z-index: 2;
    top: 100%;
    left: 0;
    width: max-content;
    max-width: 24rem;
    margin-top: 0.25rem;
    padding: 0.5rem 0.75rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    box-shadow: 0 4px 12px rgb(0 0 0 / 15%);
  }
  [part='shortcuts'] summary,
  [part='notify-settings'] summary {
    cursor: pointer;
    color: var(--_accent);
    padding: 0.4rem 0.25rem;
  }
  [part='shortcuts'] dl {
    position: absolute;
    z-index: 2;
    top: 100%;
    left: 0;
    display: grid;
    grid-template-columns: auto auto;
    gap: 0.3rem 1rem;
    width: max-content;
    margin: 0.25rem 0 0;
    padding: 0.75rem 1rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    box-shadow: 0 4px 12px rgb(0 0 0 / 15%);
  }
  [part='shortcuts'] dd {
    margin: 0;
  }
  kbd {
    font: inherit;
    font-weight: 600;
  }
  [part='problem'] {
    display: flex;
    gap: 0.75rem;
    align-items: center;
    justify-content: space-between;
    margin-top: 0.75rem;
    padding: 0.5rem 0.75rem;
    border-left: 4px solid var(--_danger);
    background: var(--_subtle);
  }
  [part='problem']:empty {
    display: none;
  }
  [part='region-tabs'] {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem;
    margin-top: 0.75rem;
    border-bottom: 2px solid var(--_accent);
  }
  [part='region-tab'] {
    display: inline-flex;
    gap: 0.4rem;
    align-items: center;
    border-radius: var(--_radius) var(--_radius) 0 0;
    background: var(--_surface);
    color: var(--_accent);
  }
  [part='region-tab'][aria-selected='true'],
  [part='chat-tab'][aria-selected='true'] {
    background: var(--_accent);
    color: var(--_on-accent);
  }
  [part='region-count'] {
    min-width: 1.4rem;
    padding: 0 0.35rem;
    border-radius: 1rem;
    background: var(--_danger);
    color: #ffffff;
    font-size: 0.85em;
    text-align: center;
  }
  .regions {
    display: grid;
    flex: 1 1 auto;
    grid-template-rows: minmax(0, 1fr);
    gap: 1rem;
    min-height: 0;
    /* The regions' own padding (for the focus ring) reaches into the console's: their text lines up with the header. */
    margin: 0.75rem -5px 0;
  }
  .regions.columns {
    grid-template-columns: minmax(15rem, 19rem) minmax(22rem, 1fr) minmax(24rem, 1.2fr);
  }
  .regions.tabs {
    grid-template-columns: minmax(0, 1fr);
  }
  .region {
    min-width: 0;
    min-height: 0;
    overflow: auto;
    /* Room for the focus ring (3px, 2px off) of a control at the region's edge, which would be cut off. */
    padding: 5px;
  }
  .columns > .region + .region {
    padding-left: 1rem;
    border-left: 1px solid var(--_subtle);
  }
  .lists,
  .chats,
  #region-context {
    display: flex;
    flex-direction: column;
    gap: 1rem;
  }
  .chats {
    gap: 0;
  }
  #region-conversation {
    display: flex;
    flex-direction: column;
    /* The log fills the region and scrolls; the composer stays at its foot. */
    --lotse-log-height: none;
  }
  .conversation {
    display: flex;
    flex: 1 1 auto;
    flex-direction: column;
    min-height: 0;
  }
  lotse-advisor-conversation {
    flex: 1 1 auto;
  }
  [part='chat-tabs'] {
    display: flex;
    flex-direction: column;
    gap: 0.25rem;
  }
  [part='chat-tab'] {
    display: flex;
    flex-wrap: wrap;
    gap: 0.4rem;
    align-items: center;
    text-align: start;
    border-color: var(--_subtle);
    background: var(--_surface);
    color: var(--_accent);
  }
  [part='chat-tab'][aria-selected='true'] .away {
    color: inherit;
  }
  [part='unread'] {
    min-width: 1.4rem;
    padding: 0 0.35rem;
    border-radius: 1rem;
    background: var(--_danger);
    color: #ffffff;
    font-size: 0.85em;
    text-align: center;
  }
  .muted {
    color: var(--_muted);
  }
  .phone {
    display: flex;
    flex-direction: column;
    gap: 0.75rem;
  }
  [hidden] {
    display: none !important;
  }
`;
