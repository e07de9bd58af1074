// The interface speaks the browser's language, can be switched, and remembers it; each of
// the nine interface languages shows its own words, dates and plural forms, with no
// English left on screen and no boxes ("tofu") where glyphs are missing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DESKTOP, PHONE, byLabel, launch, press, shot, signIn, startServer, waitNoTofu, waitWidget, widgets } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

// Per language: the inbox heading, the composer's field, the Send button, the request's
// "received" line (with its date format) and the history heading with the message count
// in the right plural form.
const RU_MESSAGES = (n) => (n % 10 === 1 && n % 100 !== 11 ? 'сообщение'
  : n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14) ? 'сообщения' : 'сообщений');
const LANGS = {
  en: { locale: 'en-GB', inbox: 'Requests', reply: 'Write your reply', send: 'Send',
    received: /^Request received \d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}, \d\d:\d\d/,
    history: (n) => `History  ·  ${n} ${n === 1 ? 'message' : 'messages'}` },
  es: { locale: 'es-ES', inbox: 'Solicitudes', reply: 'Escriba su respuesta', send: 'Enviar',
    received: /^Solicitud recibida el \d{1,2} (ene|feb|mar|abr|may|jun|jul|ago|sept|oct|nov|dic) \d{4}, \d\d:\d\d/,
    history: (n) => `Historial  ·  ${n} ${n === 1 ? 'mensaje' : 'mensajes'}` },
  fr: { locale: 'fr-FR', inbox: 'Demandes', reply: 'Rédigez votre réponse', send: 'Envoyer',
    received: /^Demande reçue le \d{1,2} (janv\.|févr\.|mars|avr\.|mai|juin|juil\.|août|sept\.|oct\.|nov\.|déc\.) \d{4}, \d\d:\d\d/,
    history: (n) => `Historique  ·  ${n} ${n <= 1 ? 'message' : 'messages'}` },
  de: { locale: 'de-DE', inbox: 'Anfragen', reply: 'Ihre Antwort', send: 'Senden',
    received: /^Anfrage erhalten am \d{1,2}\. (Jan\.|Feb\.|März|Apr\.|Mai|Juni|Juli|Aug\.|Sept\.|Okt\.|Nov\.|Dez\.) \d{4}, \d\d:\d\d/,
    history: (n) => `Verlauf  ·  ${n} ${n === 1 ? 'Nachricht' : 'Nachrichten'}` },
  it: { locale: 'it-IT', inbox: 'Richieste', reply: 'Scriva la sua risposta', send: 'Invia',
    received: /^Richiesta ricevuta il \d{1,2} (gen|feb|mar|apr|mag|giu|lug|ago|set|ott|nov|dic) \d{4}, \d\d:\d\d/,
    history: (n) => `Cronologia  ·  ${n} ${n === 1 ? 'messaggio' : 'messaggi'}` },
  pt: { locale: 'pt-PT', inbox: 'Pedidos', reply: 'Escreva a sua resposta', send: 'Enviar',
    received: /^Pedido recebido a \d{1,2} de (jan|fev|mar|abr|mai|jun|jul|ago|set|out|nov|dez)\. de \d{4}, \d\d:\d\d/,
    history: (n) => `Histórico  ·  ${n} ${n === 1 ? 'mensagem' : 'mensagens'}` },
  ru: { locale: 'ru-RU', inbox: 'Запросы', reply: 'Ваш ответ', send: 'Отправить',
    received: /^Запрос получен \d{1,2} (янв\.|февр\.|мар\.|апр\.|мая|июн\.|июл\.|авг\.|сент\.|окт\.|нояб\.|дек\.) \d{4} г\., \d\d:\d\d/,
    history: (n) => `История  ·  ${n} ${RU_MESSAGES(n)}` },
  zh: { locale: 'zh-CN', inbox: '询价', reply: '输入回复', send: '发送',
    received: /^收到询价：\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d/,
    history: (n) => `历史记录  ·  ${n} 条消息` },
  ja: { locale: 'ja-JP', inbox: '問い合わせ', reply: '返信を入力', send: '送信',
    received: /^受信日時 \d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d/,
    history: (n) => `履歴  ·  メッセージ ${n} 件` },
};

// English words of the inbox and the request page, and English country names that every
// other language writes differently: none may be left on screen in another language.
const ENGLISH = ['Requests', 'Search requests', 'To answer', 'Unread', 'Send', 'Write your reply', 'History',
  'Attach a document', 'Send a quote', 'Translate', 'Show number', 'Forward', 'Decline', 'Close sale', 'Mark lost',
  'Copy', 'Inbox', 'My sales network', 'Spain', 'Germany', 'Italy', 'Mexico', 'Belgium', 'Morocco', 'Switzerland',
  'United Kingdom', 'United States', 'Brazil'];
const english = (label) => ENGLISH.find((e) => label === e || label.startsWith(e + ' ') || label.startsWith(e + ','));

async function noEnglish(page, lang, where) {
  if (lang === 'en') return;
  const left = (await widgets(page)).map((w) => w.label).filter(english);
  assert.deepEqual(left, [], `${lang} ${where}: English left on screen`);
}

// Signs in with the browser in `lang`, checks the inbox, opens the first request and
// checks its page; returns the page (screenshots are the caller's).
async function visit(profile, lang, shots) {
  const want = LANGS[lang];
  const { context, page } = await signIn(browser, { ...profile, locale: want.locale }, server.link('manufacturer'));
  await waitWidget(page, byLabel(want.inbox, 'heading'), `${lang} inbox heading`);
  assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
  await waitWidget(page, (w) => w.kind === 'listitem', `${lang} inbox rows`);
  await waitNoTofu(page);
  await noEnglish(page, lang, 'inbox');
  const name = profile.isMobile ? 'phone' : 'desktop';
  if (shots) await shot(page, `i18n-${lang}-${name}-inbox`);

  await press(page, (await widgets(page)).find((w) => w.kind === 'listitem'));
  await waitWidget(page, byLabel(want.reply, 'input'), `${lang} composer`);
  await waitWidget(page, byLabel(want.send, 'button'), `${lang} Send`);
  const received = await waitWidget(page, (w) => want.received.test(w.label), `${lang} received line with its date`);
  assert.match(received.label, want.received);
  // The history heading counts the thread's messages with the language's plural form.
  const history = await waitWidget(page, (w) => w.kind === 'heading' && /\d/.test(w.label) &&
    w.label.startsWith(want.history(1).split('  ·  ')[0] + '  ·  '), `${lang} history heading`);
  const n = Number(history.label.replace(/[^\d]/g, ''));
  assert.equal(history.label, want.history(n));
  await waitNoTofu(page);
  await noEnglish(page, lang, 'request page');
  if (shots) await shot(page, `i18n-${lang}-${name}-request`);
  return { context, page };
}

describe('every interface language on screen', () => {
  for (const lang of Object.keys(LANGS)) {
    test(`${lang}: its words, dates and plural forms, no English, no boxes`, async () => {
      const shots = ['ru', 'ja', 'de'].includes(lang);
      for (const profile of shots ? [DESKTOP, PHONE] : [DESKTOP]) {
        const { context } = await visit(profile, lang, shots);
        await context.close();
      }
    });
  }
});

test('the switcher changes the language at once and it is remembered', async () => {
  const { context, page } = await signIn(browser, PHONE, server.link('manufacturer'));
  await waitWidget(page, byLabel('Requests', 'heading'), 'English inbox');
  await press(page, await waitWidget(page, byLabel('Language: EN'), 'language button'));
  const de = await waitWidget(page, (w) => w.kind === 'option' && w.label === 'Deutsch', 'Deutsch in the menu');
  assert.ok((await widgets(page)).some((w) => w.kind === 'option' && w.label === '日本語'), 'all nine, in their own names');
  await shot(page, 'phone-language-menu');
  await press(page, de);
  await waitWidget(page, byLabel('Anfragen', 'heading'), 'German inbox');
  await page.reload();
  await page.waitForFunction(() => window.parley && window.parley.ready === true);
  await waitWidget(page, byLabel('Anfragen', 'heading'), 'still German after reload');
  // And on to each of the others through the menu, the page following at once.
  let current = 'de';
  for (const [lang, want] of Object.entries(LANGS)) {
    const button = await waitWidget(page, (w) => w.kind === 'button' &&
      /^(Language|Sprache|Idioma|Langue|Lingua|Язык|语言|言語)\s?[:：]\s?[A-Z]{2}$/.test(w.label) &&
      w.label.endsWith(current.toUpperCase()), `language button (${current}) before ${lang}`);
    await press(page, button);
    const native = { en: 'English', es: 'Español', fr: 'Français', de: 'Deutsch', it: 'Italiano', pt: 'Português',
      ru: 'Русский', zh: '中文', ja: '日本語' }[lang];
    await press(page, await waitWidget(page, (w) => w.kind === 'option' && w.label === native, `${native} in the menu`));
    await waitWidget(page, byLabel(want.inbox, 'heading'), `${lang} inbox after switching`);
    assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
    current = lang;
  }
  await context.close();
});
