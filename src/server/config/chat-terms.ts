/**
 * Default terms of use for the anonymous chat, German first and an English translation. Plain text, paragraphs
 * separated by a blank line. Operators replace them (and bump the version) through the configuration.
 */

export const DEFAULT_TERMS_VERSION = '2026-11';

const de = `Willkommen im Beratungs-Chat Ihrer Krankenkasse

Allgemeines, Nutzungs- und Teilnahmebedingungen

Wir freuen uns über Ihr Interesse an unserer Online-Beratung. Unsere Beraterinnen und Berater sind montags bis freitags von 8 bis 20 Uhr für Sie da, außer an gesetzlichen Feiertagen. Bitte bestätigen Sie, dass Sie diese Nutzungs- und Teilnahmebedingungen zur Kenntnis genommen haben und akzeptieren.

Der Chat wird von ausgebildeten Kundenberaterinnen und Kundenberatern Ihrer Krankenkasse geführt. Er öffnet sich in einem Fenster auf dieser Webseite und benötigt JavaScript.

Wir behandeln Ihre Daten nach den geltenden Bestimmungen der Datenschutz-Grundverordnung und des Sozialgesetzbuches. Näheres finden Sie in unseren Datenschutzhinweisen.

Anonymer Chat

Sie nutzen diesen Chat, ohne personenbezogene Daten anzugeben. Sie wählen dafür einen frei erfundenen Spitznamen. Wir fragen weder nach Ihrem Namen noch nach Ihrer Anschrift oder Ihrem Geburtsdatum. Bitte geben Sie solche Daten auch nicht von sich aus an.

Im anonymen Chat erhalten Sie ausschließlich allgemeine Auskünfte, zum Beispiel zum Leistungsumfang, zu Anträgen und zu Versicherungsthemen. Weil wir das Sozialgeheimnis und den Datenschutz wahren müssen, können wir hier nicht anhand Ihrer persönlichen Versicherungsdaten oder zu Ihren persönlichen Vorgängen beraten, etwa zum Stand eines Antrags. Eine persönliche Beratung ist nur im geschützten Chat in Ihrem Mitgliederbereich möglich.

Datenverarbeitung

Inhalte, Verläufe und alle anderen Daten aus dem anonymen Chat werden zu keinem Zeitpunkt gespeichert. Sie werden nur für die Dauer des Chats im Arbeitsspeicher gehalten und mit dem Ende des Chats automatisch und unwiderruflich gelöscht.

Vor dem Schließen des Chats können Sie den Verlauf kopieren und auf Ihrem eigenen Gerät speichern. Danach ist er auch für uns nicht mehr abrufbar.

Leistungserbringer oder Dritte erhalten im Chat keine Auskünfte zu versicherten Personen.`;

const en = `Welcome to the advice chat of your health insurer

General terms of use and participation

Thank you for your interest in our online advice. Our advisors are available Monday to Friday from 8 am to 8 pm, except on public holidays. Please confirm that you have read and accept these terms of use and participation.

The chat is run by trained advisors of your health insurer. It opens in a window on this website and requires JavaScript.

We process your data in accordance with the General Data Protection Regulation and the German Social Code. You will find details in our privacy notice.

Anonymous chat

You use this chat without giving any personal data. You choose a made-up nickname for it. We do not ask for your name, your address or your date of birth. Please do not give such details of your own accord either.

In the anonymous chat you receive general information only, for example on benefits, applications and insurance matters. Because we must protect social data and privacy, we cannot advise you here on the basis of your personal insurance data or on your personal matters, such as the status of an application. Personal advice is only possible in the protected chat in your member area.

Data processing

Contents, transcripts and any other data of the anonymous chat are never stored. They are held in memory only for as long as the chat lasts and are deleted automatically and irrevocably when the chat ends.

Before you close the chat, you can copy the transcript and save it on your own device. After that, it cannot be retrieved, not even by us.

Healthcare providers and other third parties receive no information about insured persons in this chat.`;

export const DEFAULT_TERMS_TEXT: Readonly<{ de: string; en: string }> = Object.freeze({ de, en });
