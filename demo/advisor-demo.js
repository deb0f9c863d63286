// Demo mode only: the server hands out a token for a demo advisor. In production the insurer's internal app
// gets the advisor's token from its own sign-in and sets `console.token`; this endpoint does not exist there.
const consoleElement = document.querySelector('lotse-advisor-console');
const note = document.getElementById('demo-note');
consoleElement.server = location.origin;

try {
  const response = await fetch('/demo/advisor-token', { credentials: 'omit', cache: 'no-store' });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const { token } = await response.json();
  consoleElement.token = token;
  note.textContent = 'Demo-Modus: angemeldet als Demo-Beraterin.';
} catch (error) {
  note.textContent = `Keine Demo-Anmeldung möglich (${error.message}). Läuft der Server mit --demo?`;
}
