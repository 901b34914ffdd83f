// The frame every page shares: a header with the brand, the page's own items and the language
// switch, then the page's content.

import { h } from './dom.js';
import { t, getLang, setLang } from './i18n.js';

/** Replaces the page: a header (brand, `extra`, language switch) and the main content. */
export function layout(extra, ...content) {
  const langButton = (l) => h('button', {
    type: 'button', class: 'lang', 'aria-pressed': String(l === getLang()), id: 'lang-' + l,
    onclick: () => setLang(l), lang: l,
  }, l.toUpperCase());
  document.getElementById('app').replaceChildren(
    h('header', { class: 'top' },
      h('a', { href: '/', class: 'brand' }, 'Grondvorm'),
      h('div', { class: 'top-extra' }, extra),
      h('div', { class: 'langs', role: 'group', 'aria-label': t('language') }, langButton('en'), langButton('nl'))),
    h('main', { class: 'page' }, content));
}
