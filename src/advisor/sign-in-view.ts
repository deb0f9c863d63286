/**
 * What the console shows of its own sign-in (`sign-in-controller.ts`): signed out, the "Anmelden" button with a
 * line of status (after "Abmelden": that the advisor signed out) or the reason of a failure; signed in, only the prompt to sign in again when the token could not
 * be renewed silently.
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { signInTexts } from '../i18n/advisor-sign-in.js';
import type { Lang } from '../i18n/locale.js';
import type { SignInController } from './sign-in-controller.js';

/** Signed out: the sign-in panel, or `undefined` when the console does not sign in by itself. */
export function signInPanel(signIn: SignInController, lang: Lang): TemplateResult | undefined {
  const texts = signInTexts(lang);
  const { state, failure } = signIn;
  if (state === 'off') return undefined;
  const status =
    state === 'loading'
      ? texts.loading
      : state === 'working'
        ? texts.working
        : state === 'ready' && signIn.signedOut
          ? texts.signedOut
          : '';
  const unavailable = state === 'failed' && failure === 'unavailable';
  return html`<div part="sign-in-panel">
    <p>${texts.intro}</p>
    <p role="status" part="sign-in-status">${status}</p>
    <div role="alert" part="sign-in-error">${state === 'failed' && failure !== undefined ? texts.failed[failure] : nothing}</div>
    ${
      unavailable
        ? html`<button type="button" part="sign-in-retry" class="secondary" @click=${() => signIn.retry()}>
          ${texts.retry}</button>`
        : html`<button type="button" part="sign-in" ?disabled=${state !== 'ready' && state !== 'failed'}
          @click=${() => signIn.signIn()}>${texts.signIn}</button>`
    }
  </div>`;
}

/** Signed in: the prompt to sign in again once the token cannot be renewed silently. */
export function signInRenewal(signIn: SignInController, lang: Lang): TemplateResult | typeof nothing {
  if (signIn.state !== 'renew') return nothing;
  const texts = signInTexts(lang);
  return html`<div role="alert" part="sign-in-renew">
    <span>${texts.renew}</span>
    <button type="button" part="sign-in" @click=${() => signIn.signIn()}>${texts.renewButton}</button>
  </div>`;
}
