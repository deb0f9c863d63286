// Demo mode only: the Lotse server hands out a short-lived member token for the demo member Erika Mustermann
// (loopback requests only). In production the member area's own backend signs the token after its own sign-in,
// and the page fetches it from there the same way: a fresh one for every connect and resume, never in a URL,
// never in storage, never in a log.
const chat = document.querySelector('lotse-chat');
const note = document.getElementById('demo-note');

chat.memberTokenProvider = async () => {
  const response = await fetch('/demo/member-token', { cache: 'no-store' });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return (await response.json()).token;
};

chat.addEventListener('lotse-member-token-expired', () => {
  note.textContent = 'Demo-Modus: Es gab keinen neuen Anmelde-Token. Läuft der Server mit --demo?';
});
