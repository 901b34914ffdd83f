// Grondvorm's web page: shared helpers, the UI strings, the start page, the join page and the
// router. The live session page is in session.js and is loaded only on /session/….
//
// Safety rule for the whole page: anything a person typed (names, motivations, rationales,
// track names) reaches the DOM only as text nodes or form values, never as HTML.

// ---------------------------------------------------------------- UI strings (en / nl)

// Each entry: [English, Dutch]. {name} placeholders are filled in by t().
const STRINGS = {
  loading: ['Loading…', 'Laden…'], language: ['Language', 'Taal'],
  start_title: ['Start a session', 'Een sessie starten'],
  start_intro: ['Partners position their collaboration together on the four basic forms. Create a session, then share its join link.', 'Partners positioneren hun samenwerking samen op de vier grondvormen. Maak een sessie en deel daarna de deelnamelink.'],
  f_title: ['Title of the session', 'Titel van de sessie'],
  f_your_name: ['Your name (facilitator)', 'Uw naam (facilitator)'],
  f_session_lang: ['Language of the session', 'Taal van de sessie'],
  f_auto_reveal: ['Reveal automatically as soon as everyone has answered', 'Automatisch onthullen zodra iedereen heeft geantwoord'],
  create: ['Create session', 'Sessie maken'], creating: ['Creating…', 'Bezig…'], lang_en: ['English', 'Engels'],
  lang_nl: ['Dutch', 'Nederlands'], join_title: ['Join “{title}”', 'Deelnemen aan “{title}”'],
  join_phase: ['The session is now in the {phase} phase.', 'De sessie is nu in de fase {phase}.'],
  f_name: ['Your name', 'Uw naam'], f_org: ['Organisation you represent', 'Organisatie die u vertegenwoordigt'],
  f_org_choose: ['— choose —', '— kies —'], f_org_new: ['+ a new organisation…', '+ een nieuwe organisatie…'],
  f_org_new_name: ['Name of your organisation', 'Naam van uw organisatie'],
  no_orgs_closed: ['There are no organisations yet and the facilitator does not allow new ones at the moment.', 'Er zijn nog geen organisaties en de facilitator staat op dit moment geen nieuwe toe.'],
  join: ['Join', 'Deelnemen'], joining: ['Joining…', 'Bezig…'],
  already_joined: ['You already joined this session on this device.', 'U neemt op dit apparaat al deel aan deze sessie.'],
  go_session: ['Go to the session', 'Naar de sessie'],
  phase_lobby: ['lobby', 'lobby'], phase_positioning: ['positioning', 'positionering'],
  phase_alignment: ['alignment', 'afstemming'], phase_design: ['design', 'ontwerp'],
  phase_review: ['review', 'review'], phase_closed: ['closed', 'gesloten'],
  role_facilitator: ['facilitator', 'facilitator'], role_representative: ['representative', 'vertegenwoordiger'],
  conn_connecting: ['connecting…', 'verbinden…'], conn_online: ['online', 'online'],
  conn_reconnecting: ['reconnecting…', 'opnieuw verbinden…'], conn_stopped: ['not connected', 'niet verbonden'],
  phase: ['Phase', 'Fase'], round: ['round {n}', 'ronde {n}'], you_are: ['You: {name}', 'U: {name}'],
  no_token: ['This device has no access to this session. Open your personal link, or join through the join link.', 'Dit apparaat heeft geen toegang tot deze sessie. Open uw persoonlijke link, of neem deel via de deelnamelink.'],
  bad_token: ['This link is not (or no longer) valid for this session.', 'Deze link is niet (meer) geldig voor deze sessie.'],
  join_link: ['Join link for the partners', 'Deelnamelink voor de partners'], copy: ['Copy', 'Kopiëren'],
  copied: ['Copied', 'Gekopieerd'],
  my_link: ['Open this session on another device', 'Deze sessie op een ander apparaat openen'],
  my_link_warn: ['This is your personal link: anyone who has it can act as you. Do not show it on the projector.', 'Dit is uw persoonlijke link: wie hem heeft, kan namens u handelen. Toon hem niet op de beamer.'],
  settings: ['Settings', 'Instellingen'],
  s_auto_reveal: ['Reveal automatically when everyone has answered', 'Automatisch onthullen als iedereen heeft geantwoord'],
  s_new_orgs: ['Joining people may add new organisations', 'Deelnemers mogen nieuwe organisaties toevoegen'],
  people: ['People', 'Deelnemers'], online: ['online', 'online'], offline: ['offline', 'offline'],
  nobody: ['Nobody yet.', 'Nog niemand.'], answered_both: ['answered', 'geantwoord'],
  answered_one: ['answered 1 of 2', '1 van 2 beantwoord'],
  answered_none: ['not answered yet', 'nog niet geantwoord'],
  lobby_fac: ['Partners join with the join link. When everyone is in, open the blind positioning.', 'Partners nemen deel via de deelnamelink. Open de blinde positionering als iedereen er is.'],
  lobby_rep: ['Waiting for the facilitator to start the positioning.', 'Wachten tot de facilitator de positionering start.'],
  start_positioning: ['Start positioning', 'Positionering starten'],
  progress: ['{n} of {m} representatives answered both questions.', '{n} van {m} vertegenwoordigers beantwoordden beide vragen.'],
  reveal: ['Reveal answers', 'Antwoorden onthullen'],
  force_reveal: ['Reveal now (not everyone answered)', 'Nu onthullen (niet iedereen antwoordde)'],
  force_note: ['A forced reveal is noted in the record, with who had not answered.', 'Een geforceerde onthulling komt in het verslag, met wie nog niet had geantwoord.'],
  auto_on: ['Auto-reveal is on: the answers are revealed as soon as everyone has answered.', 'Automatisch onthullen staat aan: de antwoorden worden onthuld zodra iedereen heeft geantwoord.'],
  blind_note: ['Your answers stay hidden from the others until the reveal. You can change them until then.', 'Uw antwoorden blijven tot de onthulling verborgen voor de anderen. Tot dan kunt u ze wijzigen.'],
  strength: ['How sure are you?', 'Hoe zeker bent u?'], strength_1: ['not sure', 'niet zeker'],
  strength_2: ['fairly sure', 'tamelijk zeker'], strength_3: ['very sure', 'heel zeker'],
  motivation: ['Motivation (optional)', 'Toelichting (optioneel)'],
  save_answer: ['Save answer', 'Antwoord opslaan'],
  saved_answer: ['Your saved answer: {pole} ({strength}).', 'Uw opgeslagen antwoord: {pole} ({strength}).'],
  not_saved: ['Not answered yet.', 'Nog niet beantwoord.'],
  unsaved: ['Unsaved changes.', 'Niet opgeslagen wijzigingen.'],
  matrix: ['The four basic forms', 'De vier grondvormen'],
  matrix_caption: ['Where each organisation stands (round {n})', 'Waar elke organisatie staat (ronde {n})'],
  split_inside: ['split inside', 'intern verdeeld'],
  agreed_on: ['Everyone is placed in one form: {form}.', 'Iedereen staat in één grondvorm: {form}.'],
  no_agreement: ['The partners are not in one form.', 'De partners staan niet in één grondvorm.'],
  missing: ['Did not answer both questions: {names}.', 'Beantwoordden niet beide vragen: {names}.'],
  per_axis: ['Per question', 'Per vraag'], disagreement: ['disagreement', 'verschil'],
  differences: ['What the differences mean', 'Wat de verschillen betekenen'],
  positions: ['All answers', 'Alle antwoorden'], th_person: ['Person', 'Persoon'],
  th_org: ['Organisation', 'Organisatie'], th_form: ['Form', 'Grondvorm'],
  alignment_rep: ['The facilitator resolves the differences with you: a new round, a decision on one form, or a split into tracks.', 'De facilitator lost de verschillen met u op: een nieuwe ronde, een besluit over één grondvorm, of een splitsing in sporen.'],
  gate: ['Next step', 'Volgende stap'],
  gate_agreed: ['The partners agree on {form}: the design can start.', 'De partners zijn het eens over {form}: het ontwerp kan beginnen.'],
  gate_decided: ['Decided on {form}: the design can start.', 'Besloten tot {form}: het ontwerp kan beginnen.'],
  gate_split: ['Split into tracks: the design can start.', 'Gesplitst in sporen: het ontwerp kan beginnen.'],
  gate_closed: ['The partners do not agree on one form. Start a new round, decide on a form, or split into tracks first.', 'De partners staan niet in één grondvorm. Start eerst een nieuwe ronde, besluit over een grondvorm, of splits in sporen.'],
  new_round: ['Start a new round', 'Nieuwe ronde starten'],
  new_round_note: ['The answers reopen; this round stays in the record.', 'De antwoorden gaan weer open; deze ronde blijft in het verslag.'],
  decide: ['Decide on one form', 'Besluiten over één grondvorm'], f_form: ['Form', 'Grondvorm'],
  f_rationale: ['Rationale', 'Onderbouwing'], decide_btn: ['Record decision', 'Besluit vastleggen'],
  split: ['Split into tracks', 'Splitsen in sporen'], f_track_name: ['Name of track {n}', 'Naam van spoor {n}'],
  f_track_form: ['Form of track {n}', 'Grondvorm van spoor {n}'], add_track: ['Add track', 'Spoor toevoegen'],
  remove_track: ['Remove track {n}', 'Spoor {n} verwijderen'], split_btn: ['Record split', 'Splitsing vastleggen'],
  start_design: ['Start design', 'Ontwerp starten'], design: ['Design', 'Ontwerp'],
  design_note: ['The design questions per track come in a later version of this page.', 'De ontwerpvragen per spoor komen in een latere versie van deze pagina.'],
  history: ['History', 'Verloop'], no_history: ['No rounds revealed yet.', 'Nog geen ronde onthuld.'],
  h_round: ['Round {n} revealed at {time}', 'Ronde {n} onthuld om {time}'], h_forced: ['forced', 'geforceerd'],
  h_auto: ['automatic', 'automatisch'],
  h_new_round: ['New round after round {n} ({time})', 'Nieuwe ronde na ronde {n} ({time})'],
  h_decided: ['Decided on {form} ({time})', 'Besloten tot {form} ({time})'],
  h_dissent: ['Dissent: {orgs}', 'Afwijkend: {orgs}'],
  h_split: ['Split into tracks ({time})', 'Gesplitst in sporen ({time})'], dismiss: ['Dismiss', 'Sluiten'],
  pending: ['sending…', 'versturen…'],
  offline_queued: ['Not connected: your action is sent when the connection is back.', 'Niet verbonden: uw actie wordt verstuurd zodra de verbinding terug is.'],
  // The server's error messages are English; these replace the common ones in Dutch.
  err_not_all_answered: [null, 'Nog niet iedereen heeft geantwoord; wacht, of forceer de onthulling.'],
  err_no_answers: [null, 'Er is nog door niemand geantwoord.'],
  err_gate_closed: [null, 'De partners staan niet in één grondvorm; start eerst een nieuwe ronde, besluit, of splits.'],
  err_name_taken: [null, 'Iemand in deze sessie heeft die naam al.'],
  err_organisation_taken: [null, 'Die organisatie staat al in de lijst; kies haar daar.'],
  err_new_organisations_closed: [null, 'De facilitator staat nu geen nieuwe organisaties toe; kies er een uit de lijst.'],
  err_unknown_session: [null, 'Deze sessie bestaat niet.'], err_wrong_phase: [null, 'Dat kan niet in deze fase.'],
  err_invalid_tracks: [null, 'Geef minstens twee sporen, elk met een eigen naam.'],
  err_required: [null, 'Dit veld is verplicht.'], err_too_long: [null, 'Deze tekst is te lang.'],
  err_busy: [null, 'De sessie is druk; probeer het zo opnieuw.'],
};

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
 */
export function announce(text) {
  const live = document.getElementById('live');
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
  const d = { title: '', name: '', language: lang, auto: false, busy: false, error: '' };
  const submit = async () => {
    d.busy = true; d.error = ''; repaint();
    try {
      const r = await api('POST', '/api/sessions', {
        title: d.title, facilitator_name: d.name, language: d.language, auto_reveal: d.auto,
      });
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

// ---------------------------------------------------------------- router

const route = location.pathname.match(/^\/(join|session)\/([^/]+)\/?$/);
if (route && route[1] === 'session') {
  // Loaded on demand; session.js imports the helpers above (this module has finished
  // evaluating by then, so the circular import is safe).
  import('./session.js').then((m) => m.showSession(decodeURIComponent(route[2])));
} else if (route) {
  showJoin(decodeURIComponent(route[2]));
} else {
  showStart();
}
