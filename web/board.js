// The facilitator's board tools, usable in any phase: the join link with its QR code, the
// links to keep secret, the settings, progress per organisation, the timer everyone sees, the
// focus that points everyone at one step, notes, and the care of organisations and people.

import {
  h, field, onSubmit, repaint, announce, storage, cofacKey, facLinkKey, modeKey,
} from './dom.js';
import { t, txt } from './i18n.js';
import { S, sid, token, model, command, busy, now, pendingArgs, onSettled } from './live.js';
import {
  personName, orgName, time, activeOrgs, reps, inTrack, clusterDoc, aspectDoc,
} from './lookup.js';
import { actionButton, openable } from './widgets.js';
import { linksPanel, keyControls } from './manage.js';

const drafts = { minutes: '5', label: '', note: '', about: null, renames: {}, merge: {} };

onSettled((what) => {
  if (what === 'start_timer') drafts.label = '';
  if (what === 'add_note') { drafts.note = ''; drafts.about = null; }
  if (what.startsWith('rename:')) delete drafts.renames[what.slice(7)];
  if (what.startsWith('merge:')) delete drafts.merge[what.slice(6)];
});

// ---------------------------------------------------------------- steps (focus and notes)

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

// ---------------------------------------------------------------- timer

const left = (timer) => Math.max(0, Math.ceil((Date.parse(timer.ends_at) - now()) / 1000));
const mmss = (s) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
let wasUp = null; // ends_at of a timer already announced as up

/** The countdown in the header, for everyone. It ticks without a repaint (see startTicking). */
export function timerBadge() {
  const tm = S.timer;
  if (!tm) return null;
  // The server's `timer_ended` is the end for everyone; the local count only shows the way.
  const s = tm.ended ? 0 : left(tm);
  return h('span', { class: 'timer' + (s === 0 ? ' up' : ''), role: 'timer' },
    `${tm.label || t('timer')}: `, h('span', { class: 'timer-left', 'data-ends': tm.ended ? null : tm.ends_at }, s === 0 ? t('time_up') : mmss(s)));
}

/** Updates every countdown once a second; repaints once when one runs out. */
export function startTicking() {
  setInterval(() => {
    if (!S?.timer) return;
    for (const el of document.querySelectorAll('[data-ends]')) {
      const s = Math.max(0, Math.ceil((Date.parse(el.dataset.ends) - now()) / 1000));
      el.textContent = s === 0 ? t('time_up') : mmss(s);
    }
    if ((S.timer.ended || left(S.timer) === 0) && wasUp !== S.timer.ends_at) {
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
      h('p', { class: 'hint' }, t('remove_note'))) : null,
    linksPanel());
}

// ---------------------------------------------------------------- links, QR code, settings

let copied = { id: '', at: 0 }; // which copy button says "Copied"
let qrLarge = false;            // the join link and QR code shown over the whole board

async function copy(text, id) {
  try {
    await navigator.clipboard.writeText(text); // only on https and localhost
  } catch {
    getSelection().selectAllChildren(document.getElementById(id));
    document.execCommand('copy');
  }
  copied = { id, at: Date.now() };
  repaint();
  setTimeout(repaint, 2100);
}

/** A link shown in full (it must be readable from the back of the room) with a copy button. */
function copyRow(id, value) {
  return h('div', { class: 'copy-row' }, h('p', { class: 'link-text', id }, value),
    h('button', { type: 'button', id: id + '-copy', onclick: () => copy(value, id) },
      copied.id === id && Date.now() - copied.at < 2000 ? t('copied') : t('copy')));
}

const joinLink = () => `${location.origin}/join/${encodeURIComponent(sid)}`;
const qrSrc = () => `/api/sessions/${encodeURIComponent(sid)}/join-qr.svg`;

function showQr(on) {
  qrLarge = on;
  repaint();
  document.getElementById(on ? 'qr-close' : 'qr-large')?.focus();
}

addEventListener('keydown', (e) => { if (qrLarge && e.key === 'Escape') showQr(false); });

/** The join link for the partners, with its QR code (drawn by the server); `big` in the lobby. */
export function joinPanel(big) {
  // Only the device that created the session has the co-facilitator link (see app.js).
  const cofac = storage().get(cofacKey(sid));
  return h('section', { class: 'card join' + (big ? ' join-big' : ''), 'aria-labelledby': 'join-h' },
    h('h2', { id: 'join-h' }, t('join_link')),
    h('div', { class: 'join-grid' },
      h('img', { id: 'join-qr', class: 'qr', src: qrSrc(), alt: t('qr_alt', { link: joinLink() }), width: 240, height: 240 }),
      h('div', {},
        h('p', { class: 'hint' }, t('join_how')),
        copyRow('join-link', joinLink()),
        h('button', { type: 'button', id: 'qr-large', onclick: () => showQr(true) }, t('qr_show_large')))),
    cofac ? h('details', { ...openable('cofac-link'), class: 'secret' },
      h('summary', { id: 'cofac-link-s' }, t('cofac_link'), ' ', h('span', { class: 'flag' }, t('secret'))),
      h('p', { class: 'hint' }, t('cofac_link_warn')),
      copyRow('cofac-link-url', cofac), keyControls()) : h('details', { ...openable('cofac-key'), class: 'secret' },
      h('summary', { id: 'cofac-key-s' }, t('cofac_link'), ' ', h('span', { class: 'flag' }, t('secret'))),
      h('p', { class: 'hint' }, t('cofac_key_elsewhere')), keyControls()));
}

/** Whether the large QR code covers the board (the board is then inert). */
export const qrShown = () => qrLarge;

/** The join link and QR code over the whole board, for the room to scan. */
export function qrOverlay() {
  if (!qrLarge) return null;
  return h('div', { class: 'qr-overlay', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'qr-overlay-h' },
    h('h2', { id: 'qr-overlay-h' }, t('join_scan', { title: S.session.title })),
    h('img', { class: 'qr qr-huge', src: qrSrc(), alt: t('qr_alt', { link: joinLink() }) }),
    h('p', { class: 'link-text big-link' }, joinLink()),
    h('button', { type: 'button', id: 'qr-close', class: 'primary', onclick: () => showQr(false) }, t('qr_close')));
}

export function settingsPanel() {
  const toggle = (key, label) => {
    const what = 'settings:' + key;
    // While a change is on its way, show the value asked for rather than the old one.
    const pend = busy(what) ? pendingArgs(what)?.[key] : undefined;
    const checked = pend ?? S.session.settings[key];
    return h('div', { class: 'check' },
      h('input', { type: 'checkbox', id: 'set-' + key, checked, 'aria-busy': busy(what) ? 'true' : null,
        onchange: (e) => command(what, 'update_settings', { [key]: e.target.checked }) }),
      h('label', { for: 'set-' + key }, label, busy(what) ? ` — ${t('pending')}` : ''));
  };
  return h('section', { class: 'card' }, h('h2', {}, t('settings')),
    toggle('auto_reveal', t('s_auto_reveal')), toggle('new_organisations_allowed', t('s_new_orgs')));
}

/** This person's own link into the session: a secret, so folded away and marked as such. */
export function myLinkPanel(fac) {
  // The facilitator who created the session keeps the link the server gave (app.js).
  const stored = fac ? storage().get(facLinkKey(sid)) : null;
  const link = stored && stored.endsWith('#token=' + token)
    ? stored : `${location.origin}/session/${encodeURIComponent(sid)}#token=${token}`;
  return h('details', { ...openable('my-link'), class: 'card secret my-link' },
    h('summary', { id: 'my-link-s' }, h('span', { class: 'flag secret-flag' }, t('secret')), ' ', t(fac ? 'my_link_fac' : 'my_link')),
    h('p', { class: 'warn' }, t('my_link_warn')),
    copyRow('my-link-url', link));
}

// ---------------------------------------------------------------- mode (this device only)

const mode = () => { const m = storage().get(modeKey(sid)); return m === 'design' || m === 'diagnosis' ? m : null; };

/** The session's mode as chosen on the start page; only the creator's device knows it. */
export function modeBadge() {
  const m = mode();
  return m ? h('span', { class: 'badge mode', id: 'mode-badge', 'data-mode': m }, t('mode_badge_' + m)) : null;
}

export function modeNote() {
  return mode() === 'diagnosis' ? h('p', { class: 'note' }, t('mode_diagnosis_note')) : null;
}

// ---------------------------------------------------------------- progress per organisation

function bar(id, label, n, m, text) {
  return h('li', {},
    h('span', { class: 'prog-label', id: id + '-l' }, label),
    h('progress', { id, max: Math.max(1, m), value: n, 'aria-labelledby': `${id}-l ${id}-t` }),
    h('span', { class: 'prog-text', id: id + '-t' }, text));
}

/** Facilitator: how far each organisation is: answers in positioning, responses in design. */
export function orgProgress() {
  const phase = S.session.phase;
  const orgs = activeOrgs().map((o) => ({ o, people: reps().filter((p) => p.organisation === o.id) }))
    .filter((x) => x.people.length);
  if (!orgs.length || !['positioning', 'design'].includes(phase)) return null;
  if (phase === 'positioning') {
    return h('section', { class: 'org-progress', 'aria-labelledby': 'org-progress-h' },
      h('h3', { id: 'org-progress-h' }, t('org_progress')),
      h('ul', { class: 'progress-list' }, orgs.map(({ o, people }) => {
        const done = people.filter((p) => p.answered.intent && p.answered.nature).length;
        return bar('prog-' + o.id, o.name, done, people.length, t('org_answered', { n: done, m: people.length }));
      })));
  }
  return h('section', { class: 'card org-progress', 'aria-labelledby': 'org-progress-h' },
    h('h2', { id: 'org-progress-h' }, t('org_progress')),
    S.tracks.map((tr, ti) => {
      const open = tr.aspects.filter((a) => a.status === 'open');
      const inIt = orgs.filter(({ o }) => inTrack(tr, o.id));
      return h('div', {},
        S.tracks.length > 1 ? h('h3', {}, tr.name) : null,
        open.length ? h('ul', { class: 'progress-list' }, inIt.map(({ o, people }) => {
          const n = open.filter((a) => people.some((p) => a.responded.includes(p.id))).length;
          return bar(`prog-${ti}-${o.id}`, o.name, n, open.length, t('org_responded', { n, m: open.length }));
        })) : h('p', { class: 'hint' }, t('nothing_open')));
    }));
}
