// Demo mode only: shows the transcripts the server filed to its own demo receiver (`GET /demo/member-webhook`,
// answered to this machine only). In production they go to the insurer's backend; this page does not exist there.
// Everything is written with textContent: a transcript is text typed by people, never markup.
const REFRESH_MS = 3000;
const status = document.getElementById('inbox-status');
const inbox = document.getElementById('inbox');
const when = new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium', timeStyle: 'medium' });
const clock = new Intl.DateTimeFormat('de-DE', { timeStyle: 'medium' });
const ENDED_BY = {
  visitor: 'vom Mitglied',
  advisor: 'von der Beraterin',
  timeout: 'nach Zeitablauf',
  server: 'vom Server',
};
let shown = '';

/** The status line is a live region: it is only written when its text changes, so it is announced only then. */
function say(text) {
  if (status.textContent !== text) status.textContent = text;
}

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props);
  node.append(...children);
  return node;
}

function time(iso) {
  return iso ? when.format(new Date(iso)) : '–';
}

function facts(pairs) {
  const list = el('dl', { className: 'facts' });
  for (const [term, value] of pairs) list.append(el('dt', { textContent: term }), el('dd', { textContent: value }));
  return list;
}

/** Messages and events in the order they happened. */
function timeline(transcript) {
  const entries = [...transcript.messages, ...transcript.events].sort((a, b) => a.seq - b.seq);
  const list = el('ol', { className: 'transcript' });
  for (const entry of entries) {
    const at = el('time', { dateTime: entry.at, textContent: clock.format(new Date(entry.at)) });
    if ('text' in entry) {
      const who = entry.from === 'member' ? transcript.member.name : (transcript.advisor?.name ?? 'Beraterin');
      list.append(
        el(
          'li',
          { className: `message from-${entry.from}` },
          at,
          ' ',
          el('strong', { textContent: `${who}: ` }),
          entry.text,
        ),
      );
    } else {
      const text =
        entry.kind === 'joined'
          ? `${entry.advisor} ist dem Chat beigetreten.`
          : entry.kind === 'left'
            ? 'Die Beraterin hat den Chat verlassen.'
            : `Chat beendet ${ENDED_BY[entry.by] ?? ''}.`;
      list.append(el('li', { className: 'event' }, at, ' ', el('em', { textContent: text })));
    }
  }
  return list;
}

function render(deliveries) {
  inbox.replaceChildren(
    ...deliveries.map(({ receivedAt, idempotencyKey, transcript }) => {
      const { member, advisor } = transcript;
      return el(
        'article',
        { className: 'delivery' },
        el('h2', { textContent: `${member.name} · Versichertennummer ${member.insuranceNumber}` }),
        facts([
          ['Eingegangen', time(receivedAt)],
          [
            'Chat',
            `${time(transcript.startedAt)} bis ${time(transcript.endedAt)}, beendet ${ENDED_BY[transcript.endedBy] ?? '–'}`,
          ],
          ['Beraterin', advisor ? advisor.name : 'keine (niemand hat den Chat angenommen)'],
          ['Idempotenzschlüssel', idempotencyKey],
        ]),
        transcript.messages.length === 0 && transcript.events.length === 0
          ? el('p', { textContent: 'Keine Nachrichten.' })
          : timeline(transcript),
      );
    }),
  );
}

async function refresh() {
  try {
    const response = await fetch('/demo/member-webhook', { credentials: 'omit', cache: 'no-store' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const text = await response.text();
    const { deliveries } = JSON.parse(text);
    say(
      deliveries.length === 0
        ? 'Noch nichts eingegangen. Starten und beenden Sie einen Chat im Mitgliederbereich.'
        : `${deliveries.length} ${deliveries.length === 1 ? 'Protokoll' : 'Protokolle'} eingegangen, das neueste zuerst.`,
    );
    // Redrawn only when something arrived, so that reading and selecting text are not disturbed.
    if (text !== shown) {
      shown = text;
      render(deliveries);
    }
  } catch (error) {
    say(`Posteingang nicht erreichbar (${error.message}). Läuft der Server mit --demo?`);
  }
}

await refresh();
setInterval(refresh, REFRESH_MS);
