// The facilitator's tools, usable in any phase: the join link with its code and QR code, the
// links to keep secret, the settings, progress per organisation, the timer everyone sees (and
// hears, if they like), the focus that points everyone at one step, notes, and the care of
// organisations and people.

import {
  h, field, onSubmit, repaint, announce, storage, cofacKey, facLinkKey,
} from './dom.js';
import { t, txt } from './i18n.js';
import { S, sid, token, model, command, busy, now, pendingArgs, onSettled } from './live.js';
import {
  personName, orgName, time, activeOrgs, reps, inTrack, clusterDoc, aspectDoc,
} from './lookup.js';
import { actionButton, confirmButton, openable } from './widgets.js';
import { linksPanel, keyControls } from './manage.js';
import { timeZoneField } from './aims.js';

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
export const mmss = (s) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
let wasUp = null; // ends_at of a timer already announced as up
const soundKey = 'grondvorm.sound';
let audio = null; // made on the person's own click: browsers play sound only after one

/** Whether the timer's end may be heard on this device. */
const soundOn = () => storage().get(soundKey) === 'on';

/** Three short tones: the end of the timer, for those who asked for sound. */
function chime() {
  if (!soundOn() || !audio) return;
  try {
    for (let i = 0; i < 3; i += 1) {
      const o = audio.createOscillator(), g = audio.createGain();
      o.frequency.value = 880;
      g.gain.setValueAtTime(0.25, audio.currentTime + i * 0.35);
      g.gain.setValueAtTime(0, audio.currentTime + i * 0.35 + 0.2);
      o.connect(g).connect(audio.destination);
      o.start(audio.currentTime + i * 0.35);
      o.stop(audio.currentTime + i * 0.35 + 0.22);
    }
  } catch { /* no sound on this device */ }
}

/** A bell, struck through when off: drawn, since not every device has an emoji font. */
const bell = (on) => {
  const NS = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '22');
  svg.setAttribute('height', '22');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = (d) => {
    const p = document.createElementNS(NS, 'path');
    p.setAttribute('d', d);
    p.setAttribute('fill', 'none');
    p.setAttribute('stroke', 'currentColor');
    p.setAttribute('stroke-width', '2');
    p.setAttribute('stroke-linecap', 'round');
    svg.append(p);
  };
  path('M6 16V11a6 6 0 0 1 12 0v5l2 2H4z');
  path('M10 20a2 2 0 0 0 4 0');
  if (!on) path('M3 3l18 18');
  return svg;
};

/** A switch for the end-of-timer sound on this device. */
export function soundToggle() {
  const on = soundOn();
  return h('button', {
    type: 'button', id: 'sound-toggle', class: 'icon-button', 'aria-pressed': String(on),
    title: t('sound_label'), 'aria-label': t('sound_label'),
    onclick: () => {
      storage().set(soundKey, on ? 'off' : 'on');
      if (!on) {
        try { audio = audio || new AudioContext(); audio.resume(); } catch { audio = null; }
      }
      repaint();
    },
  }, bell(on));
}

/** Whether the timer is over: by the server's `timer_ended`, or by the clock just now. */
export const timerUp = (tm) => Boolean(tm && (tm.ended || left(tm) === 0));

/** The countdown, for everyone. It ticks without a repaint (see startTicking). */
export function timerBadge(big = false) {
  const tm = S.timer;
  if (!tm) return null;
  // The server's `timer_ended` is the end for everyone; the local count only shows the way.
  const up = timerUp(tm);
  const s = up ? 0 : left(tm);
  return h('span', { class: 'timer' + (up ? ' up' : '') + (big ? ' timer-big' : ''), role: 'timer', id: big ? 'timer-big' : 'timer' },
    h('span', { class: 'timer-label' }, `${tm.label || t('timer')}: `),
    h('span', { class: 'timer-left', 'data-ends': up ? null : tm.ends_at }, up ? t('time_up') : mmss(s)));
}

/** The signal that the time is up, on every page, until the timer is stopped or replaced. */
export function timeUpBanner() {
  if (!S?.timer || !S.timer.ended) return null;
  return h('p', { class: 'time-up', id: 'time-up', role: 'status' },
    t('time_up_banner', { label: S.timer.label || t('timer') }));
}

/** Updates every countdown once a second; repaints (and chimes) once when one runs out. */
export function startTicking() {
  setInterval(() => {
    if (!S?.timer) return;
    for (const el of document.querySelectorAll('[data-ends]')) {
      const s = Math.max(0, Math.ceil((Date.parse(el.dataset.ends) - now()) / 1000));
      el.textContent = s === 0 ? t('time_up') : mmss(s);
    }
    if (timerUp(S.timer) && wasUp !== S.timer.ends_at) {
      wasUp = S.timer.ends_at;
      announce(t('time_up'));
      chime();
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
    h('p', { class: 'hint' }, t('timer_everyone')),
    h('form', { onsubmit: onSubmit(start) },
      field(t('timer_minutes'), h('input', {
        id: 'timer-minutes', type: 'number', min: 0.25, max: 240, step: 'any', required: true, value: drafts.minutes,
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
  const wrap = (...c) => (fac ? h('details', { ...openable('notes-panel'), class: 'card' }, h('summary', { id: 'notes-panel-s' }, t('notes'), S.notes.length ? ` (${S.notes.length})` : ''), ...c)
    : h('section', { class: 'card' }, h('h2', {}, t('notes')), ...c));
  return wrap(
    S.notes.length ? h('ol', { class: 'notes' }, [...S.notes].reverse().map(noteItem)) : h('p', { class: 'muted' }, t('no_notes')),
    fac && S.session.phase !== 'closed' ? h('form', { class: 'sub', onsubmit: onSubmit(submit) },
      field(t('note_text'), h('textarea', { id: 'note-text', rows: 2, required: true, maxlength: 2000, value: drafts.note, oninput: (e) => { drafts.note = e.target.value; } })),
      targets.length > 1 ? field(t('note_about'), h('select', { id: 'note-about', value: about, onchange: (e) => { drafts.about = e.target.value; } },
        targets.map(([v, , label]) => h('option', { value: v }, label)))) : null,
      actionButton('add_note', t('note_add'))) : null);
}

// ---------------------------------------------------------------- organisations and people

/** Facilitator only: rename or merge organisations, remove people, give someone a new link. */
export function managePanel() {
  if (S.session.phase === 'closed') return null;
  const orgs = activeOrgs();
  const me = S.me.participant;
  const people = S.participants.filter((p) => !p.removed && p.id !== me);
  const merge = (o) => {
    const into = drafts.merge[o.id];
    if (into) command('merge:' + o.id, 'merge_organisations', { from: o.id, into });
  };
  return h('details', { ...openable('manage'), class: 'card manage' }, h('summary', { id: 'manage-s' }, t('manage')),
    orgs.map((o) => h('div', { class: 'sub' },
      h('h4', {}, o.name),
      h('form', { class: 'inline-form', onsubmit: onSubmit(() => busy('rename:' + o.id) || command('rename:' + o.id, 'rename_organisation', { organisation: o.id, name: drafts.renames[o.id] ?? o.name })) },
        field(t('rename_label', { name: o.name }), h('input', {
          id: 'rename-' + o.id, required: true, maxlength: 80, value: drafts.renames[o.id] ?? o.name,
          oninput: (e) => { drafts.renames[o.id] = e.target.value; },
        })),
        actionButton('rename:' + o.id, t('rename'), null, { primary: false, id: 'btn-rename-' + o.id })),
      orgs.length > 1 ? h('div', { class: 'inline-form' },
        field(t('merge_label', { name: o.name }), h('select', {
          id: 'merge-' + o.id, required: true, value: drafts.merge[o.id] ?? '',
          onchange: (e) => { drafts.merge[o.id] = e.target.value; repaint(); },
        }, h('option', { value: '' }, '—'), orgs.filter((x) => x.id !== o.id).map((x) => h('option', { value: x.id }, x.name)))),
        confirmButton('merge:' + o.id, t('merge'),
          t('merge_confirm', { from: o.name, into: drafts.merge[o.id] ? orgName(drafts.merge[o.id]) : '' }),
          () => merge(o), { impossible: !drafts.merge[o.id], id: 'btn-merge-' + o.id, danger: true })) : null)),
    people.length ? h('div', { class: 'sub' }, h('h4', {}, t('remove_people')),
      h('ul', { class: 'plain' }, people.map((p) => h('li', {},
        h('span', {}, p.name, p.organisation ? ` (${orgName(p.organisation)})` : ''), ' ',
        confirmButton('remove:' + p.id, t('remove_name', { name: p.name }), t('remove_confirm', { name: p.name }),
          () => command('remove:' + p.id, 'remove_participant', { participant: p.id }), { id: 'btn-remove-' + p.id, danger: true })))),
      h('p', { class: 'hint' }, t('remove_note'))) : null,
    linksPanel());
}

// ---------------------------------------------------------------- links, QR code, settings

let copied = { id: '', at: 0 }; // which copy button says "Copied"

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
export function copyRow(id, value) {
  return h('div', { class: 'copy-row' }, h('p', { class: 'link-text', id }, value),
    h('button', { type: 'button', id: id + '-copy', onclick: () => copy(value, id) },
      copied.id === id && Date.now() - copied.at < 2000 ? t('copied') : t('copy')));
}

export const joinLink = () => `${location.origin}/join/${encodeURIComponent(sid)}`;
export const shortLink = () => (S.session.join_code ? `${location.host}/j/${S.session.join_code}` : '');
export const qrSrc = () => `/api/sessions/${encodeURIComponent(sid)}/join-qr.svg`;
/** A join code as people read it best: two groups of three. */
export const spacedCode = (c) => (c ? `${c.slice(0, 3)} ${c.slice(3)}` : '');

/** How partners join: the link, the code and its QR code (the board shows them large). */
export function joinPanel() {
  // Only the device that created the session has the co-facilitator link (see app.js).
  const cofac = storage().get(cofacKey(sid));
  const code = S.session.join_code;
  return h('details', { ...openable('join-panel', S.session.phase === 'lobby'), class: 'card join' },
    h('summary', { id: 'join-panel-s' }, t('join_link')),
    h('div', { class: 'join-grid' },
      h('img', { id: 'join-qr', class: 'qr', src: qrSrc(), alt: t('qr_alt', { link: code ? shortLink() : joinLink() }), width: 240, height: 240 }),
      h('div', {},
        h('p', { class: 'hint' }, t('join_how')),
        code ? h('p', { class: 'join-code-line' }, t('join_code_is'), ' ', h('strong', { class: 'join-code', id: 'join-code-shown' }, spacedCode(code))) : null,
        code ? h('p', { class: 'hint' }, t('join_short', { link: shortLink() })) : null,
        copyRow('join-link', joinLink()))),
    cofac ? h('details', { ...openable('cofac-link'), class: 'secret' },
      h('summary', { id: 'cofac-link-s' }, t('cofac_link'), ' ', h('span', { class: 'flag' }, t('secret'))),
      h('p', { class: 'hint' }, t('cofac_link_warn')),
      copyRow('cofac-link-url', cofac), keyControls()) : h('details', { ...openable('cofac-key'), class: 'secret' },
      h('summary', { id: 'cofac-key-s' }, t('cofac_link'), ' ', h('span', { class: 'flag' }, t('secret'))),
      h('p', { class: 'hint' }, t('cofac_key_elsewhere')), keyControls()));
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
  return h('details', { ...openable('settings-panel'), class: 'card' }, h('summary', { id: 'settings-panel-s' }, t('settings')),
    toggle('auto_reveal', t('s_auto_reveal')), toggle('new_organisations_allowed', t('s_new_orgs')), timeZoneField());
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
