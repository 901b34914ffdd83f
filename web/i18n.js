// The language and the words: the person's own choice if they made one, else the session's,
// else the browser's. The words themselves are in strings.js.

import { STRINGS } from './strings.js';
import { storage, repaint } from './dom.js';

let chosen = storage().get('grondvorm.lang');
const LANGS = ['en', 'nl'];
if (!LANGS.includes(chosen)) chosen = null;
let lang = chosen || ((navigator.language || '').toLowerCase().startsWith('nl') ? 'nl' : 'en');
document.documentElement.lang = lang;

export const getLang = () => lang;

/** Uses the session's language unless this person picked one. */
export function setDefaultLang(l) {
  if (!chosen && LANGS.includes(l) && l !== lang) { lang = l; document.documentElement.lang = l; }
}

export function setLang(l) {
  lang = chosen = l;
  storage().set('grondvorm.lang', l);
  document.documentElement.lang = l;
  repaint();
}

/** A UI string with {placeholders} filled in (values are inserted as text later, never HTML).
 *  `{n|one|many}` picks the word by the number: "1 aspect", "3 aspects". */
export function t(key, params = {}) {
  const s = STRINGS[key]?.[LANGS.indexOf(lang)] ?? key;
  return s
    .replace(/\{(\w+)\|([^|}]*)\|([^}]*)\}/g, (_, k, one, many) => (Number(params[k]) === 1 ? one : many))
    .replace(/\{(\w+)\}/g, (_, k) => String(params[k] ?? ''));
}

/** A bilingual model text ({en, nl}) in the current language. */
export const txt = (text) => (text ? text[lang] ?? text.en ?? '' : '');

export const cap = (s) => (s ? s[0].toUpperCase() + s.slice(1) : '');

/** The words for a server error ({code, message}): Dutch where we have them, else the server's. */
export function errText(e) {
  return (lang === 'nl' && STRINGS['err_' + e.code]?.[1]) || e.message || String(e);
}
