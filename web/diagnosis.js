// The diagnosis phase (a session created with mode "diagnosis"): per aspect of the model, each
// representative places blind which form's principle describes how it works — or none of
// them, or their own words — with an example; the facilitator reveals, tags own words with the
// form they resemble, reopens, and records a finding and improvement actions. The analysis
// (profile.js) sits above the aspects. In review and closed the same list is read-only.

import { h, field, onSubmit, repaint } from './dom.js';
import { t, txt, cap } from './i18n.js';
import { S, model, command, busy, onSettled } from './live.js';
import { personName, orgName, formLabel, forms, reps, activeOrgs, aspectList } from './lookup.js';
import { actionButton, confirmButton, openable, openState } from './widgets.js';
import { isFocus, focusButton, notesAbout, noteItem } from './tools.js';
import { ownerFields, ownerArgs, ownerText } from './aims.js';
import { analysisPanel } from './profile.js';

const placeDrafts = new Map();   // aspect → {pick: 'form:<id>' | 'none' | 'own', text, example}
const findingDrafts = new Map(); // aspect → text
const actionDrafts = new Map();  // `${aspect}:${action id or "new"}` → text
let lastFocus;                   // the focus last followed, as JSON

onSettled((what) => {
  const [kind, aspect, n] = what.split(':');
  if (kind === 'place') placeDrafts.delete(aspect);
  if (kind === 'finding') findingDrafts.delete(aspect);
  // An action's owner and due date are kept by aims.js under `item:…`, settled with it.
  if (kind === 'item' && aspect === 'act') actionDrafts.delete(what.split(':').slice(2).join(':'));
  if (kind === 'act-remove') actionDrafts.delete(`${aspect}:${n}`);
});

const flag = (text, cls = '') => h('span', { class: 'flag ' + cls }, text);
export const diagAspect = (id) => S.diagnosis?.aspects.find((x) => x.aspect === id);
const plan = () => S.diagnosis?.subject === 'plan';
const anchor = (step) => (step.aspect ? `dasp-${step.aspect}` : `dcl-${step.cluster}`);
/** The reveal of the current round, if the aspect is revealed. */
export const currentReveal = (st) => {
  const last = st.reveals[st.reveals.length - 1];
  return last && last.round === st.round ? last : null;
};

/** The form a placement counts for: its form, or the tag of own words. */
export const countsFor = (p) => (p.placed.kind === 'form' ? p.placed.form : p.placed.kind === 'own' ? p.tag ?? null : null);

/** A placement in words: the principle it names, "none of these", or the own words. */
export function placementText(p, aspect) {
  if (p.placed.kind === 'form') return txt(aspect.principles[p.placed.form]);
  if (p.placed.kind === 'own') return p.placed.text;
  return t('pl_none');
}

/** What kind of placement it is, short: a form, none, own words (tagged or not). */
export function placementKind(p) {
  if (p.placed.kind === 'form') return formLabel(p.placed.form);
  if (p.placed.kind === 'none') return t('pl_none');
  return p.tag ? t('pl_own_like', { form: formLabel(p.tag) }) : t('pl_own');
}

/** Aspects open with at least one placement: what "reveal all" would reveal. */
export const revealable = () => S.diagnosis.aspects.filter((a) => a.status === 'open' && a.placed.length);

/** Who may place: the representatives still in the session. */
const placers = () => reps();

/** A new focus on an aspect opens it and (unless the person is typing) brings it into view. */
function followFocus() {
  const key = JSON.stringify(S.focus ?? null);
  if (key === lastFocus) return;
  lastFocus = key;
  if (!S.focus?.aspect && !S.focus?.cluster) return;
  const target = anchor(S.focus);
  if (S.focus.aspect) openState.set(target, true);
  const a = document.activeElement;
  if (!(a && /^(INPUT|TEXTAREA|SELECT)$/.test(a.tagName))) {
    requestAnimationFrame(() => document.getElementById(target)?.scrollIntoView({ block: 'start' }));
  }
}

// ---------------------------------------------------------------- the page part

/** The diagnosis: the analysis, then the aspects by cluster; `editable` in the diagnosis
 *  phase, read-only in review and closed. */
export function diagnosisPanel(fac, editable) {
  if (!S.diagnosis) return null;
  if (!model) return h('section', { class: 'card' }, h('p', { class: 'muted' }, t('loading')));
  followFocus();
  const d = S.diagnosis;
  // Placed: blind in this round, or among the placements of its reveal.
  const mine = d.aspects.filter((a) => a.my_placement || currentReveal(a)?.placements.some((p) => p.participant === S.me.participant)).length;
  const rep = !fac && S.me.role === 'representative';
  const now = rep && editable && S.focus?.aspect ? S.focus.aspect : null;
  const nowFound = now && aspectList().find(([, a]) => a.id === now);
  return [
    nowFound ? h('section', { class: 'card now', id: 'now', 'aria-labelledby': 'now-h' },
      h('h2', { id: 'now-h' }, t('now_title')), aspectView(fac, editable, nowFound[0], nowFound[1], true)) : null,
    fac || !editable ? analysisPanel() : null,
    h('section', { class: 'card design diagnosis', id: 'diagnosis' },
      h('h2', { id: editable ? 'step-h' : null, tabindex: editable ? -1 : null }, t(plan() ? 'diag_title_plan' : 'diag_title_practice')),
      h('p', { class: 'big-ish' }, t('diag_progress', { n: d.aspects.filter((a) => a.reveals.length).length, m: d.aspects.length })),
      editable && rep ? [h('p', { class: 'note' }, t('diag_blind_note')), h('p', { class: 'status-line', id: 'my-placed' }, t('diag_you_placed', { n: mine, m: d.aspects.length }))] : null,
      editable && fac ? h('p', { class: 'hint' }, t('diag_fac_note')) : null,
      model.clusters.map((c) => clusterView(fac, editable, c, now))),
    // A partner reads the findings once revealed aspects are there to read.
    !fac && editable && d.analysis.revealed.length ? analysisPanel() : null,
  ];
}

function clusterView(fac, editable, c, skip) {
  const step = { cluster: c.id };
  const what = 'dreveal:' + c.id;
  const any = c.aspects.some((a) => { const st = diagAspect(a.id); return st.status === 'open' && st.placed.length; });
  return h('section', { class: 'cluster' + (isFocus(step) ? ' focused' : ''), id: anchor(step) },
    h('h3', {}, txt(c.label), isFocus(step) ? flag(t('focus'), 'focus-flag') : null),
    editable && fac ? h('div', { class: 'actions' },
      actionButton(what, t('reveal_cluster'), () => command(what, 'reveal_placements', { cluster: c.id }), { impossible: !any, id: 'btn-dreveal-' + c.id }),
      focusButton(step, 'dfocus-' + c.id)) : null,
    c.aspects.map((a) => (a.id === skip
      ? h('p', { class: 'hint in-focus' }, t('in_focus_above', { aspect: txt(a.label) }))
      : aspectView(fac, editable, c, a, false))));
}

function aspectView(fac, editable, c, a, inNow) {
  const st = diagAspect(a.id);
  const step = { cluster: c.id, aspect: a.id };
  // The "now" card repeats an aspect: its ids get a prefix of their own.
  const id = (inNow ? 'now-' : '') + anchor(step);
  const focused = isFocus(step);
  const current = currentReveal(st);
  const earlier = st.reveals.filter((r) => r !== current);
  const rep = !fac && S.me.role === 'representative';
  const n = aspectList().findIndex(([, x]) => x.id === a.id) + 1;
  const notes = notesAbout(step);
  return h('details', { ...openable(id, focused || inNow), class: `aspect st-${st.status}` + (focused ? ' focused' : '') },
    h('summary', { id: id + '-s' },
      h('span', { class: 'aspect-n' }, t('aspect_n_short', { n, m: aspectList().length })), ' ',
      h('span', { class: 'aspect-label' }, txt(a.label)), ' ',
      h('span', { class: `status st-${st.status}` }, t('status_' + st.status)),
      editable && st.status === 'open' ? h('span', { class: 'small' }, ' ', t('placed_count', { n: st.placed.length, m: placers().length })) : null,
      editable && rep && st.status === 'open' && st.my_placement ? h('span', { class: 'small' }, ' · ', t('you_placed_it')) : null,
      focused ? flag(t('focus'), 'focus-flag') : null),
    h('p', { class: 'question-text' }, txt(a.question)),
    fac || st.reveals.length ? agreedBefore(a) : null,
    editable && st.status === 'open' ? placedLine(st) : null,
    st.status === 'open' && st.round > 1 ? h('p', { class: 'hint' }, t('reopened', { n: st.round })) : null,
    current ? revealView(current, a, fac && editable) : null,
    earlier.length ? h('details', openable(id + '-earlier'), h('summary', { id: id + '-earlier-s' }, t('earlier_rounds', { n: earlier.length })),
      earlier.map((r) => revealView(r, a, false))) : null,
    editable && rep && st.status === 'open' ? placeForm(a, st, id) : null,
    editable && fac ? revealControls(a, st, step, id) : null,
    findingView(a, st, fac && editable, id),
    actionsView(a, st, fac && editable, id),
    notes.length ? [h('h4', {}, t('notes')), h('ol', { class: 'notes' }, notes.map(noteItem))] : null);
}

/** In a diagnosis that follows up a design: what was agreed on this aspect then (a partner
 *  sees it once the aspect is revealed, so that it does not lead their blind placement). */
function agreedBefore(a) {
  const tracks = S.baseline?.tracks || [];
  const c = tracks.length === 1 ? tracks[0].aspects.find((x) => x.aspect === a.id) : null;
  if (!c) return null;
  return h('div', { class: 'proposal carried' }, h('p', { class: 'small' }, t('agreed_before', { title: S.baseline.title })),
    h('p', {}, c.text, c.form ? h('span', { class: 'tag' }, formLabel(c.form)) : null));
}

/** Who placed the aspect in this round and who not yet (never where). */
function placedLine(st) {
  const names = (list) => list.map((p) => p.name).join(', ');
  const done = placers().filter((p) => st.placed.includes(p.id));
  const waiting = placers().filter((p) => !st.placed.includes(p.id));
  return h('p', { class: 'hint' },
    done.length ? t('placed_who', { names: names(done) }) : t('placed_nobody'),
    waiting.length ? ` · ${t('waiting_for', { names: names(waiting) })}` : '');
}

/** One reveal: every placement as a card; the facilitator tags own words here. */
function revealView(rv, a, tagging) {
  return h('div', { class: 'reveal' },
    h('h4', {}, t('placements_round', { n: rv.round })),
    h('ul', { class: 'cards' }, rv.placements.map((p) => h('li', { class: 'response-card', 'data-form': countsFor(p) || '' },
      h('p', { class: 'card-head' }, h('strong', {}, personName(p.participant)), ' · ', orgName(p.organisation),
        h('span', { class: 'tag' }, placementKind(p))),
      p.placed.kind === 'none' ? null : h('p', { class: 'response-text' }, placementText(p, a)),
      p.example ? h('p', { class: 'motivation' }, p.example) : null,
      tagging && p.placed.kind === 'own' ? tagField(a, p) : null))));
}

function tagField(a, p) {
  const what = `tag:${a.id}:${p.participant}`;
  const id = `tag-${a.id}-${p.participant}`;
  return field(t('tag_as'), h('select', {
    id, 'aria-busy': busy(what) ? 'true' : null,
    onchange: (e) => command(what, 'tag_placement', { aspect: a.id, participant: p.participant, form: e.target.value || null }),
  }, h('option', { value: '', selected: !p.tag }, t('resembles_none')),
  forms().map((f) => h('option', { value: f, selected: p.tag === f }, formLabel(f)))));
}

// ---------------------------------------------------------------- a representative's placement

function placeForm(a, st, id) {
  const what = 'place:' + a.id;
  const saved = st.my_placement;
  const sp = saved?.placed;
  const savedPick = !sp ? '' : sp.kind === 'form' ? 'form:' + sp.form : sp.kind;
  const d = placeDrafts.get(a.id) || { pick: savedPick, text: sp?.text ?? '', example: saved?.example ?? '' };
  const edit = (patch, again) => { placeDrafts.set(a.id, { ...(placeDrafts.get(a.id) || d), ...patch }); if (again) repaint(); };
  const submit = () => {
    const r = placeDrafts.get(a.id) || d;
    if (!r.pick || busy(what)) return;
    const args = { aspect: a.id };
    if (r.pick === 'none') args.placed = 'none';
    else if (r.pick === 'own') Object.assign(args, { placed: 'own', text: r.text });
    else Object.assign(args, { placed: 'form', form: r.pick.slice(5) });
    if (r.example.trim()) args.example = r.example;
    command(what, 'place', args);
  };
  const options = [
    ...forms().map((f) => ['form:' + f, formLabel(f), txt(a.principles[f])]),
    ['none', t('placed_none'), null],
    ['own', t('placed_own'), null],
  ];
  const base = 'place-' + id;
  let state = saved ? t('saved_placement', { what: placementKind({ placed: saved.placed }) }) : t('not_placed');
  if (placeDrafts.has(a.id) && !busy(what)) state += ' ' + t('unsaved');
  return h('form', { class: 'question', onsubmit: onSubmit(submit) },
    h('fieldset', {}, h('legend', {}, t(plan() ? 'diag_which_plan' : 'diag_which_practice')),
      options.map(([v, label, text]) => {
        const oid = `${base}-${v.replace(':', '-')}`;
        return h('div', { class: 'choice' },
          h('input', { type: 'radio', name: base, id: oid, value: v, required: true, checked: d.pick === v, onchange: () => edit({ pick: v }, true) }),
          h('label', { for: oid }, h('strong', {}, label), text ? h('span', { class: 'desc' }, text) : null));
      })),
    d.pick === 'own' ? field(t('own_words'), h('textarea', { id: base + '-text', rows: 3, required: true, maxlength: 2000, value: d.text, oninput: (e) => edit({ text: e.target.value }) })) : null,
    field(t(plan() ? 'example_plan' : 'example_practice'), h('textarea', { id: base + '-example', rows: 2, maxlength: 2000, value: d.example, oninput: (e) => edit({ example: e.target.value }) })),
    h('p', { class: 'status-line' }, state),
    h('div', { class: 'actions' },
      actionButton(what, t('save_placement'), null, { impossible: !d.pick, id: base + '-save' }),
      saved ? actionButton('unplace:' + a.id, t('withdraw_placement'), () => {
        placeDrafts.delete(a.id);
        command('unplace:' + a.id, 'withdraw_placement', { aspect: a.id });
      }, { id: base + '-withdraw' }) : null));
}

// ---------------------------------------------------------------- the facilitator's controls

function revealControls(a, st, step, id) {
  const base = 'fac-' + id;
  return h('div', { class: 'fac-controls' },
    h('div', { class: 'actions' },
      st.status === 'open' ? actionButton('dreveal:' + a.id, t('diag_reveal_n', { n: st.placed.length, m: placers().length }),
        () => command('dreveal:' + a.id, 'reveal_placements', { aspect: a.id }), { impossible: !st.placed.length, primary: true, id: base + '-reveal' }) : null,
      st.status === 'revealed' ? actionButton('dreopen:' + a.id, t('reopen'), () => command('dreopen:' + a.id, 'reopen_placement', { aspect: a.id }),
        { id: base + '-reopen', describedby: base + '-reopen-note' }) : null,
      focusButton(step, base + '-focus')),
    st.status === 'revealed' ? h('p', { class: 'hint', id: base + '-reopen-note' }, t('diag_reopen_note')) : null);
}

function findingView(a, st, editing, id) {
  if (!editing) {
    return st.finding ? h('div', { class: 'outcome ok-box' }, h('p', { class: 'small' }, t('finding')), h('p', { class: 'agreed-text' }, st.finding)) : null;
  }
  const what = 'finding:' + a.id;
  const base = 'finding-' + id;
  const value = findingDrafts.has(a.id) ? findingDrafts.get(a.id) : st.finding ?? '';
  return h('form', { class: 'sub', onsubmit: onSubmit(() => busy(what) || command(what, 'record_finding', { aspect: a.id, text: findingDrafts.has(a.id) ? findingDrafts.get(a.id) : st.finding })) },
    field(t('finding'), h('textarea', { id: base, rows: 2, maxlength: 2000, value, oninput: (e) => findingDrafts.set(a.id, e.target.value) })),
    actionButton(what, t('finding_save'), null, { primary: false, id: base + '-save' }));
}

function actionLine(act) {
  const who = ownerText(act.owner);
  return [h('span', { class: 'action-text' }, act.text),
    who || act.due ? h('span', { class: 'small' }, ' — ', t('owner_now', { who: who || '—', due: act.due || '—' })) : null];
}

function actionsView(a, st, editing, id) {
  if (!editing && !st.actions.length) return null;
  return h('div', { class: 'actions-list', id: 'actions-' + id },
    h('h4', {}, t('actions')),
    st.actions.length ? h('ol', { class: 'plain' }, st.actions.map((act) => h('li', { 'data-action': act.id },
      actionLine(act), editing ? actionForm(a, act, `${id}-${act.id}`) : null))) : h('p', { class: 'muted' }, t('no_actions')),
    editing ? actionForm(a, null, `${id}-new`) : null);
}

/** Adding an action (`act` null) or changing one, with its owner and due date. */
function actionForm(a, act, base) {
  const key = `${a.id}:${act ? act.id : 'new'}`;
  // `item:act:…` lets aims.js forget the owner and date chosen once the server has them.
  const what = `item:act:${key}`;
  const ownerKey = `act:${key}`;
  const text = actionDrafts.has(key) ? actionDrafts.get(key) : act?.text ?? '';
  const submit = () => {
    if (busy(what)) return;
    const args = { aspect: a.id, text: actionDrafts.has(key) ? actionDrafts.get(key) : act?.text ?? '', ...ownerArgs(ownerKey, act || {}) };
    if (act) args.action = act.id;
    command(what, 'set_action', args);
  };
  const form = h('form', { class: 'sub', onsubmit: onSubmit(submit) },
    field(t('action_text'), h('textarea', { id: `act-${base}-text`, rows: 2, required: true, maxlength: 2000, value: text, oninput: (e) => actionDrafts.set(key, e.target.value) })),
    ownerFields(ownerKey, `act-${base}`, act || {}),
    h('div', { class: 'actions' },
      actionButton(what, act ? t('action_save') : t('action_add'), null, { primary: !act, id: `act-${base}-save` }),
      act ? confirmButton(`act-remove:${key}`, t('action_remove'), t('action_remove_q', { text: act.text }),
        () => command(`act-remove:${key}`, 'remove_action', { aspect: a.id, action: act.id }), { id: `act-${base}-remove`, danger: true }) : null));
  return h('details', openable(`act-${base}-d`), h('summary', { id: `act-${base}-d-s` }, act ? t('action_change') : t('action_new')), form);
}

// ---------------------------------------------------------------- the facilitator's next step

/** The aspect after `from` still open (in the model's order), or the first open one. */
function nextOpen(from) {
  const all = aspectList();
  const start = from ? all.findIndex(([, a]) => a.id === from) + 1 : 0;
  return [...all.slice(start), ...all.slice(0, start)].find(([, a]) => diagAspect(a.id).status === 'open') || null;
}

/** What the facilitator does now in a diagnosis: reveal the aspect in focus (or all that were
 *  placed), go on to the next, and open the review. */
export function diagnosisNext() {
  const d = S.diagnosis;
  const f = S.focus?.aspect ? diagAspect(S.focus.aspect) : null;
  const found = f && aspectList().find(([, a]) => a.id === f.aspect);
  const next = nextOpen(f?.aspect);
  const ready = revealable();
  const unrevealed = d.aspects.filter((a) => !a.reveals.length).length;
  const goNext = next ? actionButton('focus', f ? t('next_aspect', { aspect: txt(next[1].label) }) : t('first_aspect', { aspect: txt(next[1].label) }),
    () => command('focus', 'focus', { cluster: next[0].id, aspect: next[1].id }), { primary: !f || f.status !== 'open', id: 'btn-next-aspect' }) : null;
  const review = unrevealed
    ? confirmButton('open_review', t('open_review'), t('open_review_q', { n: unrevealed }), () => command('open_review', 'open_review'), { id: 'btn-open_review' })
    : actionButton('open_review', t('open_review'), () => command('open_review', 'open_review'), { primary: !ready.length, id: 'btn-open_review' });
  return [
    h('p', { class: 'big', id: 'diag-progress' }, t('diag_progress', { n: d.aspects.length - unrevealed, m: d.aspects.length })),
    found ? h('p', { class: 'big-ish' }, t('aspect_n', { n: aspectList().findIndex(([, a]) => a.id === f.aspect) + 1, m: aspectList().length }), ': ', txt(found[1].label)) : null,
    h('div', { class: 'actions' },
      f && f.status === 'open' ? actionButton('dreveal:' + f.aspect, t('diag_reveal_n', { n: f.placed.length, m: placers().length }),
        () => command('dreveal:' + f.aspect, 'reveal_placements', { aspect: f.aspect }), { primary: true, impossible: !f.placed.length, id: 'btn-dreveal-focus' }) : null,
      goNext,
      actionButton('dreveal-all', t('diag_reveal_all', { n: ready.length }), () => command('dreveal-all', 'reveal_placements', {}),
        { impossible: !ready.length, primary: !f && !next, id: 'btn-dreveal-all' }),
      S.focus ? actionButton('focus', t('focus_clear'), () => command('focus', 'focus', {}), { id: 'btn-focus-clear' }) : null),
    h('p', { class: 'hint' }, unrevealed ? t('diag_start') : t('diag_done')),
    h('div', { class: 'actions secondary' }, review),
  ];
}

/** Facilitator: how far each organisation's representatives have placed the open aspects. */
export function placeProgress() {
  const open = S.diagnosis.aspects.filter((a) => a.status === 'open');
  const orgs = activeOrgs().map((o) => ({ o, people: reps().filter((p) => p.organisation === o.id) })).filter((x) => x.people.length);
  if (!orgs.length) return null;
  return h('section', { class: 'card', 'aria-labelledby': 'org-progress-h' },
    h('h2', { id: 'org-progress-h' }, t('org_progress')),
    open.length ? h('ul', { class: 'plain' }, orgs.map(({ o, people }) => {
      const n = open.filter((a) => people.some((p) => a.placed.includes(p.id))).length;
      return h('li', { id: 'dprog-' + o.id }, h('strong', {}, o.name), h('span', {}, t('placed_count', { n, m: open.length })));
    })) : h('p', { class: 'hint' }, t('nothing_open')));
}

/** The mode and subject, for the lobby: what this session will ask. */
export const diagnosisLabel = () => `${cap(t('mode_badge_diagnosis'))} · ${t(plan() ? 'subject_plan' : 'subject_practice')}`;
