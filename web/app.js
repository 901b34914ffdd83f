// Grondvorm's web page: the router, the start page, the join page and the co-facilitator
// page. The live session page is session.js (with its parts), loaded only on /session/….
//
// Safety rule for the whole page: anything a person typed (names, motivations, rationales,
// track names, responses, notes, objections) reaches the DOM only as text nodes or form
// values, never as HTML.

import {
  h, field, onSubmit, announce, api, mount, repaint, storage, tokenKey, cofacKey, facLinkKey,
} from './dom.js';
import { t, errText, getLang, setDefaultLang } from './i18n.js';
import { layout } from './frame.js';

// ---------------------------------------------------------------- start page

/** Keeps the token on this device and opens the session without it in the address bar. */
function enter(sessionId, link, token) {
  const url = new URL(link, location.href);
  location.assign(storage().set(tokenKey(sessionId), token) ? url.pathname : url.pathname + url.hash);
}

function showStart() {
  const d = { title: '', name: '', language: getLang(), auto: false, mode: 'design', subject: 'practice', key: '', busy: false, error: '' };
  // Whether this server asks for its key to create a session (an operator's setting).
  let keyRequired = false;
  api('GET', '/api/server').then((s) => { keyRequired = !!s.create_key_required; repaint(); }).catch(() => {});
  const submit = async () => {
    d.busy = true; d.error = ''; repaint();
    try {
      const body = { title: d.title, facilitator_name: d.name, language: d.language, auto_reveal: d.auto, mode: d.mode };
      if (d.mode === 'diagnosis') body.subject = d.subject;
      if (keyRequired) body.create_key = d.key;
      const r = await api('POST', '/api/sessions', body);
      if (r.cofacilitator_link) storage().set(cofacKey(r.session_id), r.cofacilitator_link);
      if (r.facilitator_link) storage().set(facLinkKey(r.session_id), r.facilitator_link);
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
        modeChoice(d),
        field(t('f_session_lang'), h('select', { id: 'slang', value: d.language, onchange: (e) => { d.language = e.target.value; } },
          h('option', { value: 'en' }, t('lang_en')), h('option', { value: 'nl' }, t('lang_nl')))),
        h('div', { class: 'check' },
          h('input', { type: 'checkbox', id: 'auto', checked: d.auto, onchange: (e) => { d.auto = e.target.checked; } }),
          h('label', { for: 'auto' }, t('f_auto_reveal'))),
        keyRequired ? field(t('f_create_key'), h('input', { id: 'create-key', type: 'password', required: true, autocomplete: 'off', value: d.key, oninput: (e) => { d.key = e.target.value; } })) : null,
        keyRequired ? h('p', { class: 'hint' }, t('create_key_note')) : null,
        d.error ? h('p', { class: 'error' }, d.error) : null,
        h('button', { type: 'submit', class: 'primary', disabled: d.busy }, d.busy ? t('creating') : t('create')))),
    codeCard(''));
  });
}

/** What the session is for: a design, or a diagnosis of a collaboration (or of a plan). */
function modeChoice(d) {
  const radio = (name, value, label, desc, checked, onchange) => h('div', { class: 'choice' },
    h('input', { type: 'radio', name, id: `${name}-${value}`, value, checked, onchange }),
    h('label', { for: `${name}-${value}` }, h('strong', {}, label), desc ? h('span', { class: 'desc' }, desc) : null));
  const pickMode = (m) => () => { d.mode = m; repaint(); };
  return [
    h('fieldset', { class: 'mode' }, h('legend', {}, t('f_mode')),
      radio('mode', 'design', t('mode_design'), t('mode_design_desc'), d.mode === 'design', pickMode('design')),
      radio('mode', 'diagnosis', t('mode_diagnosis'), t('mode_diagnosis_desc'), d.mode === 'diagnosis', pickMode('diagnosis'))),
    d.mode === 'diagnosis' ? h('fieldset', { class: 'mode' }, h('legend', {}, t('f_subject')),
      ['practice', 'plan'].map((x) => radio('subject', x, t('subject_' + x), null, d.subject === x, () => { d.subject = x; }))) : null,
  ];
}

// ---------------------------------------------------------------- joining by code

/** A code as people type it, in the form the server keeps: upper case, no spaces or dashes. */
const normalCode = (raw) => raw.replace(/[\s-]/g, '').toUpperCase();

const code = { value: '', busy: false, error: '' };

/** Looks the code up and opens its join page. */
async function joinByCode() {
  const c = normalCode(code.value);
  code.busy = true; code.error = ''; repaint();
  try {
    const r = await api('GET', `/api/codes/${encodeURIComponent(c)}`);
    location.assign(`/join/${encodeURIComponent(r.session_id)}`);
  } catch (e) {
    code.busy = false;
    code.error = e.code === 'unknown_code' ? t('code_unknown', { code: c }) : errText(e);
    announce(code.error); repaint();
  }
}

/** "Have a code?": for a partner who cannot scan the QR code on the screen. */
function codeCard(given) {
  if (given && !code.value) code.value = given;
  return h('section', { class: 'card narrow', 'aria-labelledby': 'code-h' },
    h('h2', { id: 'code-h' }, t('code_title')),
    h('p', {}, t('code_intro')),
    h('form', { class: 'code-form', onsubmit: onSubmit(joinByCode) },
      field(t('code_label'), h('input', {
        id: 'join-code', required: true, maxlength: 12, autocomplete: 'off', autocapitalize: 'characters',
        spellcheck: 'false', class: 'code-input', value: code.value, oninput: (e) => { code.value = e.target.value; },
      })),
      code.error ? h('p', { class: 'error' }, code.error) : null,
      h('button', { type: 'submit', class: 'primary', id: 'btn-join-code', disabled: code.busy }, code.busy ? t('loading') : t('code_go'))));
}

/** /j/{code} for a code the server did not know (a known one redirects to its join page). */
function showCode(given) {
  code.error = t('code_unknown', { code: normalCode(given) });
  mount(() => { document.title = 'Grondvorm'; layout(null, codeCard(given)); });
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

const route = location.pathname.match(/^\/(join|session|facilitate|board|j)\/([^/]+)\/?$/);
if (route && route[1] === 'session') {
  // Loaded on demand: the start and join pages need none of it.
  import('./session.js').then((m) => m.showSession(decodeURIComponent(route[2])));
} else if (route && route[1] === 'board') {
  import('./boardview.js').then((m) => m.showBoard(decodeURIComponent(route[2])));
} else if (route && route[1] === 'j') {
  showCode(decodeURIComponent(route[2]));
} else if (route && route[1] === 'facilitate') {
  showFacilitate(decodeURIComponent(route[2]));
} else if (route) {
  showJoin(decodeURIComponent(route[2]));
} else {
  showStart();
}
