// Demo mode only: the server hands out a token for a demo advisor. In production the insurer's internal app
// gets the advisor's token from its own sign-in and sets `console.token`; this endpoint does not exist there.
const consoleElement = document.querySelector('lotse-advisor-console');
const note = document.getElementById('demo-note');
consoleElement.server = location.origin;

try {
  // `advisor.html?colleague`: a second demo advisor, to try a transfer between two consoles.
  const colleague = new URLSearchParams(location.search).has('colleague');
  const response = await fetch(`/demo/advisor-token${colleague ? '?colleague' : ''}`, {
    credentials: 'omit',
    cache: 'no-store',
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const { token } = await response.json();
  consoleElement.token = token;
  note.textContent = colleague
    ? 'Demo-Modus: angemeldet als Demo-Kollege (Thema Leistungen).'
    : 'Demo-Modus: angemeldet als Demo-Beraterin. Ein Kollege zum Weiterleiten: advisor.html?colleague';
} catch (error) {
  note.textContent = `Keine Demo-Anmeldung möglich (${error.message}). Läuft der Server mit --demo?`;
}
