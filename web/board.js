// The facilitator's board tools, usable in any phase: the timer everyone sees, the focus that
// points everyone at one step, notes, and the care of organisations and people.

import { h, t, txt, field, onSubmit, repaint, announce } from './app.js';
import { goTo } from './design.js';
import {
  S, model, command, busy, actionButton, openable, personName, orgName, time, activeOrgs,
} from './session.js';

const drafts = { minutes: '5', label: '', note: '', about: null, renames: {}, merge: {} };

export function settledBoard(what) {
  if (what === 'start_timer') drafts.label = '';
  if (what === 'add_note') { drafts.note = ''; drafts.about = null; }
  if (what.startsWith('rename:')) delete drafts.renames[what.slice(7)];
  if (what.startsWith('merge:')) delete drafts.merge[what.slice(6)];
}

// ---------------------------------------------------------------- steps (focus and notes)

export const clusterDoc = (c) => model?.clusters.find((x) => x.id === c);
export const aspectDoc = (a) => model?.clusters.flatMap((c) => c.aspects).find((x) => x.id === a);
export const clusterOfAspect = (a) => model?.clusters.find((c) => c.aspects.some((x) => x.id === a))?.id;

/** "Track › Cluster › Aspect" for a step; the track is named only when there are several. */
export function stepLabel(step) {
  if (!step) return '';
  const parts = [];
  if (step.track != null && S.tracks.length > 1) parts.push(S.tracks[step.track]?.name ?? '?');
  if (step.cluster) parts.push(txt(clusterDoc(step.cluster)?.label) || step.cluster);
  if (step.aspect) parts.push(txt(aspectDoc(step.aspect)?.label) || step.aspect);
  return parts.join(' › ') || t('whole_session');
}

/** Whether the focus is exactly on this step (fields absent in `step` must be absent there). */
export function isFocus(step) {
  const f = S.focus;
  if (!f) return false;
  return (f.track ?? 0) === (step.track ?? 0) && (f.cluster ?? null) === (step.cluster ?? null)
    && (f.aspect ?? null) === (step.aspect ?? null);
}

/** A facilitator's "Focus here" button for a step. */
export function focusButton(step, id) {
  const here = isFocus(step);
  return h('button', {
    type: 'button', id, onclick: () => command('focus', 'focus', here ? {} : step),
  }, here ? t('focus_clear') : t('focus_here'));
}

/** The banner at the top: where the facilitator points everyone. */
export function focusBanner(fac) {
  if (!S.focus || !['design', 'review'].includes(S.session.phase)) return null;
  const f = S.focus;
  return h('div', { class: 'focus-banner' },
    h('span', {}, t('focus_now'), ' ', h('button', { type: 'button', class: 'link', id: 'focus-go', onclick: () => goTo(f) }, stepLabel(f))),
    fac ? actionButton('focus', t('focus_clear'), () => command('focus', 'focus', {}), { id: 'focus-clear' }) : null);
}

// ---------------------------------------------------------------- timer

const left = (timer) => Math.max(0, Math.ceil((Date.parse(timer.ends_at) - Date.now()) / 1000));
const mmss = (s) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
let wasUp = null; // ends_at of a timer already announced as up

/** The countdown in the header, for everyone. It ticks without a repaint (see startTicking). */
export function timerBadge() {
  const tm = S.timer;
  if (!tm) return null;
  const s = left(tm);
  return h('span', { class: 'timer' + (s === 0 ? ' up' : ''), role: 'timer' },
    `${tm.label || t('timer')}: `, h('span', { class: 'timer-left', 'data-ends': tm.ends_at }, s === 0 ? t('time_up') : mmss(s)));
}

/** Updates every countdown once a second; repaints once when one runs out. */
export function startTicking() {
  setInterval(() => {
    if (!S?.timer) return;
    for (const el of document.querySelectorAll('[data-ends]')) {
      const s = Math.max(0, Math.ceil((Date.parse(el.dataset.ends) - Date.now()) / 1000));
      el.textContent = s === 0 ? t('time_up') : mmss(s);
    }
    if (left(S.timer) === 0 && wasUp !== S.timer.ends_at) {
      wasUp = S.timer.ends_at;
      announce(t('time_up'));
      repaint();
    }
  }, 1000);
}

export function timerPanel() {
  const start = () => {
    if (busy('start_timer')) return;
    const seconds = Math.round(Number(drafts.minutes) * 60);
    const args = { seconds };
    if (drafts.label.trim()) args.label = drafts.label;
    command('start_timer', 'start_timer', args);
  };
  return h('details', { ...openable('timer-panel'), class: 'card' }, h('summary', { id: 'timer-panel-s' }, t('timer')),
    S.timer ? h('div', { class: 'actions' },
      h('span', { class: 'big' }, timerBadge()),
      actionButton('stop_timer', t('timer_stop'), () => command('stop_timer', 'stop_timer'))) : null,
    h('form', { onsubmit: onSubmit(start) },
      field(t('timer_minutes'), h('input', {
        id: 'timer-minutes', type: 'number', min: 0.5, max: 240, step: 0.5, required: true, value: drafts.minutes,
        oninput: (e) => { drafts.minutes = e.target.value; },
      })),
      field(t('timer_label'), h('input', { id: 'timer-label', maxlength: 80, value: drafts.label, oninput: (e) => { drafts.label = e.target.value; } })),
      actionButton('start_timer', S.timer ? t('timer_restart') : t('timer_start'))));
}

// ---------------------------------------------------------------- notes

/** The steps a note can be about, as [value, step, label]: the whole session, then per track,
 *  cluster and aspect (design and later). */
function noteTargets() {
  const out = [['', {}, t('whole_session')]];
  if (!model) return out;
  S.tracks.forEach((tr, ti) => {
    if (S.tracks.length > 1) out.push([`${ti}`, { track: ti }, tr.name]);
    for (const c of model.clusters) {
      out.push([`${ti}/${c.id}`, { track: ti, cluster: c.id }, stepLabel({ track: ti, cluster: c.id })]);
      for (const a of c.aspects) out.push([`${ti}/${c.id}/${a.id}`, { track: ti, cluster: c.id, aspect: a.id }, stepLabel({ track: ti, cluster: c.id, aspect: a.id })]);
    }
  });
  return out;
}

const stepValue = (s) => (s ? [s.track, s.cluster, s.aspect].filter((x) => x != null).join('/') : '');

/** Notes about one step (an aspect, say), for showing next to it. */
export const notesAbout = (step) => S.notes.filter((n) => stepValue(n.about) === stepValue(step));

export const noteItem = (n) => h('li', {},
  h('span', { class: 'small' }, `${time(n.at)} · ${n.by ? personName(n.by) : ''}`,
    stepValue(n.about) ? ` · ${stepLabel(n.about)}` : ''),
  h('p', { class: 'quote' }, n.text));

export function notesPanel(fac) {
  if (!fac && !S.notes.length) return null;
  const targets = noteTargets();
  // By default a note is about the current focus.
  const about = drafts.about ?? stepValue(S.focus);
  const submit = () => {
    if (busy('add_note')) return;
    const value = drafts.about ?? stepValue(S.focus);
    const target = targets.find(([v]) => v === value) || targets[0];
    command('add_note', 'add_note', { ...target[1], text: drafts.note });
  };
  return h('section', { class: 'card' }, h('h2', {}, t('notes')),
    S.notes.length ? h('ol', { class: 'notes' }, [...S.notes].reverse().map(noteItem)) : h('p', { class: 'muted' }, t('no_notes')),
    fac && S.session.phase !== 'closed' ? h('form', { class: 'sub', onsubmit: onSubmit(submit) },
      field(t('note_text'), h('textarea', { id: 'note-text', rows: 2, required: true, maxlength: 2000, value: drafts.note, oninput: (e) => { drafts.note = e.target.value; } })),
      targets.length > 1 ? field(t('note_about'), h('select', { id: 'note-about', value: about, onchange: (e) => { drafts.about = e.target.value; } },
        targets.map(([v, , label]) => h('option', { value: v }, label)))) : null,
      actionButton('add_note', t('note_add'))) : null);
}

// ---------------------------------------------------------------- organisations and people

/** Facilitator only: rename or merge organisations, remove people. Folded away by default,
 *  since the people panel is often on the projector. */
export function managePanel() {
  if (S.session.phase === 'closed') return null;
  const orgs = activeOrgs();
  const me = S.me.participant;
  const people = S.participants.filter((p) => !p.removed && p.id !== me);
  const remove = (p) => {
    if (confirm(t('remove_confirm', { name: p.name }))) command('remove:' + p.id, 'remove_participant', { participant: p.id });
  };
  const merge = (o) => {
    const into = drafts.merge[o.id];
    if (!into || busy('merge:' + o.id)) return;
    if (confirm(t('merge_confirm', { from: o.name, into: orgName(into) }))) command('merge:' + o.id, 'merge_organisations', { from: o.id, into });
  };
  return h('details', { ...openable('manage'), class: 'manage' }, h('summary', { id: 'manage-s' }, t('manage')),
    orgs.map((o) => h('div', { class: 'sub' },
      h('h4', {}, o.name),
      h('form', { class: 'inline-form', onsubmit: onSubmit(() => busy('rename:' + o.id) || command('rename:' + o.id, 'rename_organisation', { organisation: o.id, name: drafts.renames[o.id] ?? o.name })) },
        field(t('rename_label', { name: o.name }), h('input', {
          id: 'rename-' + o.id, required: true, maxlength: 80, value: drafts.renames[o.id] ?? o.name,
          oninput: (e) => { drafts.renames[o.id] = e.target.value; },
        })),
        actionButton('rename:' + o.id, t('rename'), null, { primary: false, id: 'btn-rename-' + o.id })),
      orgs.length > 1 ? h('form', { class: 'inline-form', onsubmit: onSubmit(() => merge(o)) },
        field(t('merge_label', { name: o.name }), h('select', {
          id: 'merge-' + o.id, required: true, value: drafts.merge[o.id] ?? '',
          onchange: (e) => { drafts.merge[o.id] = e.target.value; },
        }, h('option', { value: '' }, '—'), orgs.filter((x) => x.id !== o.id).map((x) => h('option', { value: x.id }, x.name)))),
        actionButton('merge:' + o.id, t('merge'), null, { primary: false, id: 'btn-merge-' + o.id })) : null)),
    people.length ? h('div', { class: 'sub' }, h('h4', {}, t('remove_people')),
      h('ul', { class: 'plain' }, people.map((p) => h('li', {},
        h('span', {}, p.name, p.organisation ? ` (${orgName(p.organisation)})` : ''), ' ',
        actionButton('remove:' + p.id, t('remove_name', { name: p.name }), () => remove(p), { id: 'btn-remove-' + p.id })))),
      h('p', { class: 'hint' }, t('remove_note'))) : null);
}
