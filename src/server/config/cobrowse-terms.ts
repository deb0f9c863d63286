/**
 * Default terms of use for co-browsing, German first and an English translation, modelled on the terms a large
 * German health insurer uses for the same service. Plain text, paragraphs separated by a blank line. Operators
 * replace them (and bump the version) through the configuration.
 */

export const DEFAULT_COBROWSE_TERMS_VERSION = '2026-11';

const de = `Nutzungs- und Teilnahmebedingungen zum Co-Browsing

Ihre Krankenkasse bietet Ihnen auf ihrer Website Co-Browsing an. Wir möchten, dass Sie sich dabei wohlfühlen. Hier erfahren Sie, wie dieses Angebot funktioniert und was Sie dabei beachten sollten.

Was ist Co-Browsing?

Beim Co-Browsing sehen zwei Personen gleichzeitig dieselbe Seite unserer Website: Sie und eine Beraterin oder ein Berater Ihrer Krankenkasse. So können wir Sie vertraulich unterstützen, während Sie auf unserer Website unterwegs sind. Das Co-Browsing findet parallel zum Service-Chat oder zu einem Telefonat statt. Sie benötigen keinen Download; es genügt ein aktueller Browser (Mozilla Firefox, Google Chrome oder Safari).

So funktioniert es

Ihre Beraterin oder Ihr Berater nennt Ihnen einen 6-stelligen Webcode. Sie geben ihn auf unserer Website ein. Danach lesen Sie diese Bedingungen und bestätigen sie.

Erst wenn Sie zugestimmt haben, zeigen wir Ihnen einen Startcode (eine Sicherheitszeichenfolge). Diesen teilen Sie Ihrer Beraterin oder Ihrem Berater telefonisch oder im Chat mit. Die Sitzung kann nur mit diesem Startcode gestartet werden. Der Startcode gilt nur kurze Zeit und nur für diese eine Sitzung.

Während der Sitzung

Ihre Beraterin oder Ihr Berater sieht die Seite, die Sie gerade ansehen, und kann sich selbst nichts anderes anzeigen lassen. Sie oder er kann nur zusehen: Sie oder er kann auf Ihrer Seite nicht klicken, nichts eingeben und nichts verändern.

Ein farbig hervorgehobener Mauszeiger zeigt Ihnen, worauf Ihre Beraterin oder Ihr Berater gerade hinweist. Solange die Sitzung läuft, sehen Sie einen deutlichen Hinweis darauf.

Alle Eingaben in Formularfelder werden verdeckt übertragen: Ihre Beraterin oder Ihr Berater sieht nicht, was Sie eintippen. Inhalte, die die Seite als vertraulich kennzeichnet, werden ebenfalls verdeckt.

Sie können die Sitzung jederzeit mit einem Klick beenden. Auch wenn Sie die Seite schließen, endet die Sitzung.

Zustimmung

Vor der Teilnahme ist Ihre Zustimmung zu diesen Nutzungs- und Teilnahmebedingungen erforderlich. Sie stimmen zu, indem Sie das Kästchen „Bestätigung Nutzungs- und Teilnahmebedingungen“ ankreuzen und auf „Co-Browsing Sitzung starten“ klicken.

Datenschutz

Die Seite wird verschlüsselt zwischen Ihrem Browser und dem Ihrer Beraterin oder Ihres Beraters übertragen. Unsere Server vermitteln nur die Verbindung und können die Inhalte nicht lesen. Wir zeichnen die Sitzung nicht auf und speichern keine Inhalte. Nach dem Ende der Sitzung bewahren wir nur Protokolldaten auf: wer die Sitzung geführt hat, wann sie stattfand und wie lange sie dauerte. Eine Weitergabe an Dritte erfolgt nicht.

Wir behandeln Ihre Daten nach den Bestimmungen der Datenschutz-Grundverordnung und des Sozialgesetzbuches. Näheres finden Sie in unseren Datenschutzhinweisen.`;

const en = `Terms of use and participation for co-browsing

Your health insurer offers co-browsing on its website. We want you to feel comfortable using it. Here you can read how this service works and what you should know about it.

What is co-browsing?

When co-browsing, two people see the same page of our website at the same time: you and an advisor of your health insurer. This lets us help you confidentially while you use our website. Co-browsing takes place alongside the service chat or a phone call. You need no download; a current browser (Mozilla Firefox, Google Chrome or Safari) is enough.

How it works

Your advisor tells you a 6-digit webcode. You enter it on our website. You then read these terms and confirm them.

Only after you have agreed do we show you a start code (a security string). You tell it to your advisor by phone or in the chat. The session can only be started with this start code. The start code is valid for a short time and for this one session only.

During the session

Your advisor sees the page you are looking at and cannot open any other page. Your advisor can only watch: they cannot click, type or change anything on your page.

A highlighted, coloured pointer shows you what your advisor is pointing at. As long as the session is running, you see a clear notice of it.

Everything you type into form fields is masked: your advisor does not see what you type. Content that the page marks as confidential is masked as well.

You can end the session at any time with one click. Closing the page also ends the session.

Consent

Before you take part, you must agree to these terms of use and participation. You agree by ticking the box "Bestätigung Nutzungs- und Teilnahmebedingungen" (confirmation of the terms of use and participation) and clicking "Co-Browsing Sitzung starten" (start co-browsing session).

Privacy

The page travels encrypted between your browser and your advisor's. Our servers only set up the connection and cannot read its content. We do not record the session and store no content. After the session ends we keep only audit data: who ran the session, when it took place and how long it lasted. Nothing is passed on to third parties.

We process your data in accordance with the General Data Protection Regulation and the German Social Code. You will find details in our privacy notice.`;

export const DEFAULT_COBROWSE_TERMS_TEXT: Readonly<{ de: string; en: string }> = Object.freeze({ de, en });
