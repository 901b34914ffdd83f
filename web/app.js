// Grondvorm's web page: shared helpers, the language, the start page, the join page, the
// co-facilitator page and the router. The live session page is in session.js (with design.js,
// review.js and board.js) and is loaded only on /session/…; the words are in strings.js.
//
// Safety rule for the whole page: anything a person typed (names, motivations, rationales,
// track names, responses, notes, objections) reaches the DOM only as text nodes or form
// values, never as HTML.

import { STRINGS } from './strings.js';

// ---------------------------------------------------------------- language

// The language: the person's own choice if they made one, else the session's, else the browser's.
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

function setLang(l) {
  lang = chosen = l;
  storage().set('grondvorm.lang', l);
  document.documentElement.lang = l;
  repaint();
}

/** A UI string with {placeholders} filled in (values are inserted as text later, never HTML). */
export function t(key, params = {}) {
  const s = STRINGS[key]?.[LANGS.indexOf(lang)] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => String(params[k] ?? ''));
}

/** A bilingual model text ({en, nl}) in the current language. */
export const txt = (text) => (text ? text[lang] ?? text.en ?? '' : '');

export const cap = (s) => (s ? s[0].toUpperCase() + s.slice(1) : '');

/** The words for a server error ({code, message}): Dutch where we have them, else the server's. */
export function errText(e) {
  return (lang === 'nl' && STRINGS['err_' + e.code]?.[1]) || e.message || String(e);
}

// ---------------------------------------------------------------- small helpers

/** localStorage that never throws (private modes and disabled storage). */
export function storage() {
  return {
    get: (k) => { try { return localStorage.getItem(k); } catch { return null; } },
    set: (k, v) => { try { localStorage.setItem(k, v); return true; } catch { return false; } },
    del: (k) => { try { localStorage.removeItem(k); } catch { /* nothing to do */ } },
  };
}

export const tokenKey = (sessionId) => 'grondvorm.token.' + sessionId;
/** Where the creator's device keeps the co-facilitator link (only the create answer has it). */
export const cofacKey = (sessionId) => 'grondvorm.cofacilitator.' + sessionId;
/** Where the creator's device keeps their own secret link, as the server gave it. */
export const facLinkKey = (sessionId) => 'grondvorm.facilitator.' + sessionId;
/** The mode chosen on the start page (design or diagnosis): kept on this device only, since
 *  the server runs the same steps for both. */
export const modeKey = (sessionId) => 'grondvorm.mode.' + sessionId;

// Properties set as DOM properties rather than attributes (they reflect live state).
const PROPS = new Set(['value', 'checked', 'disabled', 'selected', 'hidden', 'open', 'readOnly', 'required']);

/**
 * Builds an element. `attrs`: `class`, `on<event>` handlers, DOM properties (PROPS) and plain
 * attributes; null/false values are skipped. Children: nodes, strings (as text), arrays, null.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  el.append(...children.flat(Infinity).filter((c) => c != null && c !== false)
    .map((c) => (c instanceof Node ? c : document.createTextNode(String(c)))));
  // After the children, so that a <select>'s value finds its options.
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (PROPS.has(k)) el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  return el;
}

/** A labelled field: the label, then the control, wired by id. */
export const field = (label, control) => h('div', { class: 'field' }, h('label', { for: control.id }, label), control);

/** A form's submit handler that stays on the page. */
export const onSubmit = (fn) => (e) => { e.preventDefault(); fn(); };

/**
 * Says `text` to screen readers. The page is rebuilt on every update, so messages go to a live
 * region outside the rebuilt part, once, instead of role="alert" elements that would repeat.
 * Errors interrupt (assertive); news such as a change of phase waits its turn (`polite`).
 */
export function announce(text, polite = false) {
  const live = document.getElementById(polite ? 'live-polite' : 'live');
  if (live) { live.textContent = ''; setTimeout(() => { live.textContent = text; }, 50); }
}

/** Calls the JSON API; throws an Error carrying the server's {code, message, field}. */
export async function api(method, path, body) {
  const res = await fetch(path, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  let data = null;
  try { data = await res.json(); } catch { /* not JSON */ }
  if (!res.ok) {
    const e = data?.error || {};
    throw Object.assign(new Error(e.message || `HTTP ${res.status}`), { code: e.code, field: e.field });
  }
  return data;
}

// ---------------------------------------------------------------- page frame and repainting

let painter = () => {};

/** Makes `paint` the page's painter and paints. */
export function mount(paint) { painter = paint; repaint(); }

/**
 * Repaints the page from its state. The page is rebuilt from scratch each time (simple and
 * safe); the focused control is found again by id, with its caret, so that typing survives
 * an update arriving from the server.
 */
export function repaint() {
  const a = document.activeElement;
  const id = a && a !== document.body ? a.id : '';
  let sel = null;
  try { if (typeof a.selectionStart === 'number') sel = [a.selectionStart, a.selectionEnd]; } catch { /* no caret */ }
  painter();
  const again = id && document.getElementById(id);
  if (again && again !== a) {
    again.focus({ preventScroll: true });
    if (sel) try { again.setSelectionRange(...sel); } catch { /* no caret */ }
  }
}

/** Replaces the page: a header (brand, `extra`, language switch) and the main content. */
export function layout(extra, ...content) {
  const langButton = (l) => h('button', {
    type: 'button', class: 'lang', 'aria-pressed': String(l === lang), id: 'lang-' + l,
    onclick: () => setLang(l), lang: l,
  }, l.toUpperCase());
  document.getElementById('app').replaceChildren(
    h('header', { class: 'top' },
      h('a', { href: '/', class: 'brand' }, 'Grondvorm'),
      h('div', { class: 'top-extra' }, extra),
      h('div', { class: 'langs', role: 'group', 'aria-label': t('language') }, langButton('en'), langButton('nl'))),
    h('main', { class: 'page' }, content));
}

// ---------------------------------------------------------------- start page

/** Keeps the token on this device and opens the session without it in the address bar. */
function enter(sessionId, link, token) {
  const url = new URL(link, location.href);
  location.assign(storage().set(tokenKey(sessionId), token) ? url.pathname : url.pathname + url.hash);
}

function showStart() {
  const d = { title: '', name: '', language: lang, mode: 'design', auto: false, busy: false, error: '' };
  const submit = async () => {
    d.busy = true; d.error = ''; repaint();
    try {
      const r = await api('POST', '/api/sessions', {
        title: d.title, facilitator_name: d.name, language: d.language, auto_reveal: d.auto,
      });
      if (r.cofacilitator_link) storage().set(cofacKey(r.session_id), r.cofacilitator_link);
      if (r.facilitator_link) storage().set(facLinkKey(r.session_id), r.facilitator_link);
      storage().set(modeKey(r.session_id), d.mode);
      enter(r.session_id, r.facilitator_link, r.token);
    } catch (e) {
      d.busy = false; d.error = errText(e); announce(d.error); repaint();
    }
  };
  mount(() => {
    document.title = 'Grondvorm';
    layout(null, h('section', { class: 'card narrow' },
      h('h1', {}, t('start_title')),
      h('p', {}, t('start_intro')),
      h('form', { onsubmit: onSubmit(submit) },
        field(t('f_title'), h('input', { id: 'title', required: true, maxlength: 200, value: d.title, oninput: (e) => { d.title = e.target.value; } })),
        field(t('f_your_name'), h('input', { id: 'fname', required: true, maxlength: 80, autocomplete: 'name', value: d.name, oninput: (e) => { d.name = e.target.value; } })),
        field(t('f_session_lang'), h('select', { id: 'slang', value: d.language, onchange: (e) => { d.language = e.target.value; } },
          h('option', { value: 'en' }, t('lang_en')), h('option', { value: 'nl' }, t('lang_nl')))),
        h('fieldset', { class: 'modes' }, h('legend', {}, t('f_mode')),
          ['design', 'diagnosis'].map((m) => h('div', { class: 'choice' },
            h('input', { type: 'radio', name: 'mode', id: 'mode-' + m, value: m, checked: d.mode === m, onchange: () => { d.mode = m; } }),
            h('label', { for: 'mode-' + m }, h('strong', {}, t('mode_' + m)), h('span', { class: 'desc' }, t('mode_' + m + '_desc')))))),
        h('div', { class: 'check' },
          h('input', { type: 'checkbox', id: 'auto', checked: d.auto, onchange: (e) => { d.auto = e.target.checked; } }),
          h('label', { for: 'auto' }, t('f_auto_reveal'))),
        d.error ? h('p', { class: 'error' }, d.error) : null,
        h('button', { type: 'submit', class: 'primary', disabled: d.busy }, d.busy ? t('creating') : t('create')))));
  });
}

// ---------------------------------------------------------------- join page

async function showJoin(id) {
  let info = null;
  let loadError = '';
  const d = { name: '', org: '', orgName: '', busy: false, error: '' };
  const submit = async () => {
    const isNew = d.org === '__new' || info.organisations.length === 0;
    const body = isNew ? { name: d.name, organisation_name: d.orgName } : { name: d.name, organisation_id: d.org };
    d.busy = true; d.error = ''; repaint();
    try {
      const r = await api('POST', `/api/sessions/${encodeURIComponent(id)}/join`, body);
      enter(id, r.link, r.token);
    } catch (e) {
      d.busy = false; d.error = errText(e); announce(d.error); repaint();
    }
  };
  const paint = () => {
    if (!info) {
      layout(null, h('section', { class: 'card narrow' }, loadError
        ? h('p', { class: 'error', role: 'alert' }, loadError) : h('p', { class: 'muted' }, t('loading'))));
      return;
    }
    document.title = `${info.title} — Grondvorm`;
    const orgs = info.organisations;
    const canNew = info.new_organisations_allowed;
    const showNewName = canNew && (orgs.length === 0 || d.org === '__new');
    let orgControl;
    if (orgs.length > 0) {
      orgControl = field(t('f_org'), h('select', { id: 'org', required: true, value: d.org, onchange: (e) => { d.org = e.target.value; repaint(); } },
        h('option', { value: '' }, t('f_org_choose')),
        orgs.map((o) => h('option', { value: o.id }, o.name)),
        canNew ? h('option', { value: '__new' }, t('f_org_new')) : null));
    } else if (!canNew) {
      orgControl = h('p', { class: 'error' }, t('no_orgs_closed'));
    }
    const stored = storage().get(tokenKey(id));
    layout(null, h('section', { class: 'card narrow' },
      h('h1', {}, t('join_title', { title: info.title })),
      h('p', { class: 'muted' }, t('join_phase', { phase: t('phase_' + info.phase) })),
      stored ? h('p', { class: 'note' }, t('already_joined'), ' ', h('a', { href: `/session/${encodeURIComponent(id)}` }, t('go_session'))) : null,
      h('form', { onsubmit: onSubmit(submit) },
        field(t('f_name'), h('input', { id: 'name', required: true, maxlength: 80, autocomplete: 'name', value: d.name, oninput: (e) => { d.name = e.target.value; } })),
        orgControl,
        showNewName ? field(t('f_org_new_name'), h('input', { id: 'orgname', required: true, maxlength: 80, autocomplete: 'organization', value: d.orgName, oninput: (e) => { d.orgName = e.target.value; } })) : null,
        d.error ? h('p', { class: 'error' }, d.error) : null,
        h('button', { type: 'submit', class: 'primary', disabled: d.busy || (!orgs.length && !canNew) }, d.busy ? t('joining') : t('join')))));
  };
  mount(paint);
  try {
    info = await api('GET', `/api/sessions/${encodeURIComponent(id)}`);
    setDefaultLang(info.language);
  } catch (e) {
    loadError = errText(e);
  }
  repaint();
}

// ---------------------------------------------------------------- co-facilitator page

/** /facilitate/{id}#key=…: a second facilitator names themselves and gets their own token. */
async function showFacilitate(id) {
  const m = location.hash.match(/[#&]key=([^&]+)/);
  const key = m ? decodeURIComponent(m[1]) : '';
  // The key is a secret like a token: out of the address bar (it stays in this page's memory).
  if (m) history.replaceState(null, '', location.pathname + location.search);
  let info = null;
  let loadError = key ? '' : t('no_key');
  const d = { name: '', busy: false, error: '' };
  const submit = async () => {
    d.busy = true; d.error = ''; repaint();
    try {
      const r = await api('POST', `/api/sessions/${encodeURIComponent(id)}/facilitators`, { key, name: d.name });
      enter(id, r.link, r.token);
    } catch (e) {
      d.busy = false; d.error = errText(e); announce(d.error); repaint();
    }
  };
  mount(() => {
    if (!info) {
      layout(null, h('section', { class: 'card narrow' }, loadError
        ? h('p', { class: 'error', role: 'alert' }, loadError) : h('p', { class: 'muted' }, t('loading'))));
      return;
    }
    document.title = `${info.title} — Grondvorm`;
    const stored = storage().get(tokenKey(id));
    layout(null, h('section', { class: 'card narrow' },
      h('h1', {}, t('cofac_title', { title: info.title })),
      h('p', {}, t('cofac_intro')),
      stored ? h('p', { class: 'note' }, t('already_joined'), ' ', h('a', { href: `/session/${encodeURIComponent(id)}` }, t('go_session'))) : null,
      h('form', { onsubmit: onSubmit(submit) },
        field(t('f_name'), h('input', { id: 'name', required: true, maxlength: 80, autocomplete: 'name', value: d.name, oninput: (e) => { d.name = e.target.value; } })),
        d.error ? h('p', { class: 'error' }, d.error) : null,
        h('button', { type: 'submit', class: 'primary', disabled: d.busy }, d.busy ? t('joining') : t('cofac_join')))));
  });
  if (!key) return;
  try {
    info = await api('GET', `/api/sessions/${encodeURIComponent(id)}`);
    setDefaultLang(info.language);
  } catch (e) {
    loadError = errText(e);
  }
  repaint();
}

// ---------------------------------------------------------------- router

const route = location.pathname.match(/^\/(join|session|facilitate)\/([^/]+)\/?$/);
if (route && route[1] === 'session') {
  // Loaded on demand; session.js imports the helpers above (this module has finished
  // evaluating by then, so the circular import is safe).
  import('./session.js').then((m) => m.showSession(decodeURIComponent(route[2])));
} else if (route && route[1] === 'facilitate') {
  showFacilitate(decodeURIComponent(route[2]));
} else if (route) {
  showJoin(decodeURIComponent(route[2]));
} else {
  showStart();
}
