/**
 * Texts of the console's own sign-in through the insurer's identity provider, German first and English second. A
 * module of its own beside `advisor.ts`: only consoles that sign in by themselves show them.
 */
import { catalogue } from './locale.js';
import type { SignInFailure } from '../client/oidc-sign-in.js';

export interface SignInTexts {
  intro: string;
  signIn: string;
  loading: string;
  working: string;
  failed: Record<SignInFailure, string>;
  retry: string;
  renew: string;
  renewButton: string;
  /** After "Abmelden" without a provider's logout page: the sign-in panel's status. */
  signedOut: string;
}

const de: SignInTexts = {
  intro: 'Melden Sie sich mit Ihrem Konto der Kasse an, um Chats anzunehmen.',
  signIn: 'Anmelden',
  loading: 'Anmeldung wird vorbereitet …',
  working: 'Anmeldung läuft …',
  failed: {
    unavailable: 'Der Anmeldedienst ist gerade nicht erreichbar.',
    refused: 'Die Anmeldung wurde abgebrochen oder abgelehnt.',
    mismatch: 'Die Antwort des Anmeldedienstes passt nicht zu dieser Anmeldung. Bitte melden Sie sich erneut an.',
    exchange: 'Die Anmeldung konnte nicht abgeschlossen werden. Bitte melden Sie sich erneut an.',
  },
  retry: 'Erneut versuchen',
  renew: 'Ihre Anmeldung läuft bald ab. Melden Sie sich erneut an, um weiterzuarbeiten; die Konsole lädt dabei neu.',
  renewButton: 'Erneut anmelden',
  signedOut: 'Sie haben sich abgemeldet.',
};

const en: SignInTexts = {
  intro: 'Sign in with your account at the insurer to accept chats.',
  signIn: 'Sign in',
  loading: 'Preparing sign-in …',
  working: 'Signing in …',
  failed: {
    unavailable: 'The sign-in service cannot be reached right now.',
    refused: 'The sign-in was cancelled or refused.',
    mismatch: 'The answer of the sign-in service does not match this sign-in. Please sign in again.',
    exchange: 'The sign-in could not be completed. Please sign in again.',
  },
  retry: 'Try again',
  renew: 'Your sign-in expires soon. Sign in again to keep working; the console reloads.',
  renewButton: 'Sign in again',
  signedOut: 'You have signed out.',
};

export const signInTexts = catalogue<SignInTexts>(de, en);
