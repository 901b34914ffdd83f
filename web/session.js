// The live session page: the session as this person may see it, rebuilt from the last
// snapshot whenever something changes. This module has the frame of the page, the lobby,
// positioning and alignment; design.js, review.js and board.js draw the later phases and the
// facilitator's board tools, and matrix.js the 2×2.

import { h, field, onSubmit, mount, repaint } from './dom.js';
import { t, txt, cap, errText } from './i18n.js';
import { layout } from './frame.js';
import {
  S, sid, online, conn, fatal, notices, pending, startLive, command, busy, onSettled, dismissNotice,
} from './live.js';
import {
  person, orgName, orgNames, formLabel, axisLabel, axisDoc, poleLabel, poleDoc, poles, formOf, time,
  reps, activeOrgs,
} from './lookup.js';
import { actionButton, openable, openState, formSelect } from './widgets.js';
import { designPanel, openReviewPanel, glancePanel, focusBanner } from './design.js';
import { reviewPanel, closedPanel, recordPanel } from './review.js';
import {
  timerBadge, timerPanel, notesPanel, managePanel, startTicking, joinPanel, settingsPanel,
  myLinkPanel, orgProgress, modeBadge, modeNote, qrOverlay, qrShown,
} from './board.js';
import { reportView } from './matrix.js';
import { deletePanel } from './manage.js';

// What the person is typing or choosing, kept across repaints. An answer draft of null means
// "show the saved answer".
const drafts = { answer: { intent: null, nature: null }, form: '', rationale: '', tracks: null };

onSettled((what) => {
  if (what.startsWith('answer:')) drafts.answer[what.slice(7)] = null;
  if (what === 'decide') drafts.rationale = '';
  if (what === 'split') drafts.tracks = null;
});

export function showSession(id) {
  mount(paint);
  startTicking();
  startLive(id);
}

// ---------------------------------------------------------------- the page
// Every control has a stable id, so that repaint() can give focus back after a rebuild.

function paint() {
  // The toggle event comes a moment after a <details> opens: read what is open now, so that a
  // repaint in between does not close it again.
  for (const d of document.querySelectorAll('details[id]')) openState.set(d.id, d.open);
  const status = h('span', { class: `conn conn-${conn}` }, t('conn_' + conn));
  if (!S) {
    document.title = 'Grondvorm';
    layout(status, h('section', { class: 'card narrow' }, fatal
      ? [h('p', { class: 'error' }, t(fatal)),
        ['no_token', 'bad_token'].includes(fatal) ? h('p', {}, h('a', { href: `/join/${encodeURIComponent(sid)}` }, t('join'))) : null]
      : h('p', { class: 'muted' }, t('loading'))));
    return;
  }
  const fac = S.me.role === 'facilitator';
  const me = person(S.me.participant);
  document.title = `${S.session.title} — Grondvorm`;
  layout(
    [h('h1', { class: 'title' }, S.session.title),
      h('span', { class: 'badge' }, `${t('phase')}: ${t('phase_' + S.session.phase)}`,
        S.session.round && ['positioning', 'alignment'].includes(S.session.phase) ? ` · ${t('round', { n: S.session.round })}` : ''),
      status,
      h('span', { class: 'me' }, t('you_are', { name: me?.name ?? '?' }), ' · ',
        S.me.organisation ? `${orgName(S.me.organisation)} · ` : '', t('role_' + S.me.role)),
      fac ? modeBadge() : null,
      timerBadge()],
    noticeArea(),
    fac ? qrOverlay() : null,
    h('div', { class: 'cols', inert: fac && qrShown() },
      h('div', { class: 'main-col' }, focusBanner(fac), phasePanel(fac), historyPanel()),
      // Once closed, the server refuses every command: no controls for them. In the lobby the
      // join link and its QR code are in the main column, large.
      h('aside', { class: 'side-col' }, ...(fac && S.session.phase !== 'closed'
        ? [S.session.phase === 'lobby' ? null : joinPanel(false), timerPanel(), settingsPanel()] : []),
      peoplePanel(fac), notesPanel(fac),
      // The facilitator may export the (draft) record at any time; from design on it is in the
      // main column.
      fac && ['lobby', 'positioning', 'alignment'].includes(S.session.phase) ? recordPanel(true) : null,
      myLinkPanel(fac), fac ? deletePanel() : null)));
}

function noticeArea() {
  const items = notices.map((n) => h('p', { class: 'error' }, errText(n), ' ',
    h('button', { type: 'button', class: 'link', onclick: () => dismissNotice(n) }, t('dismiss'))));
  if (fatal) items.unshift(h('p', { class: 'error' }, t(fatal)));
  if (conn !== 'online' && pending.size) items.push(h('p', { class: 'note' }, t('offline_queued')));
  return h('div', { class: 'notices' }, items);
}

function phasePanel(fac) {
  const phase = S.session.phase;
  if (phase === 'lobby') {
    return [h('section', { class: 'card' }, h('h2', {}, cap(t('phase_lobby'))),
      h('p', {}, t(fac ? 'lobby_fac' : 'lobby_rep')),
      fac ? modeNote() : null,
      fac ? actionButton('start_positioning', t('start_positioning'), () => command('start_positioning', 'start_positioning'), { primary: true }) : null),
    fac ? joinPanel(true) : null];
  }
  if (phase === 'positioning') return fac ? revealPanel() : answerPanel();
  if (phase === 'alignment') {
    const r = S.rounds[S.rounds.length - 1];
    return [r ? reportView(r, 'cur', true) : null, gatePanel(fac)];
  }
  // Later on, the latest round's picture stays below: where everyone stood, and why.
  const last = S.rounds.length ? reportView(S.rounds[S.rounds.length - 1], 'cur', true) : null;
  if (phase === 'design') {
    return [fac ? orgProgress() : null, fac ? glancePanel() : null, designPanel(fac, true),
      fac ? openReviewPanel() : null, fac ? recordPanel(true) : null, last];
  }
  if (phase === 'review') return [reviewPanel(fac), fac ? glancePanel() : null, designPanel(fac, false), last];
  return [closedPanel(), designPanel(fac, false), last];
}

function progress() {
  const all = reps();
  const done = all.filter((p) => p.answered.intent && p.answered.nature).length;
  return { all: all.length, done, any: all.some((p) => p.answered.intent || p.answered.nature) };
}

function revealPanel() {
  const p = progress();
  const everyone = p.all > 0 && p.done === p.all;
  return h('section', { class: 'card' },
    h('h2', {}, `${cap(t('phase_positioning'))} — ${t('round', { n: S.session.round })}`),
    h('p', { class: 'big' }, t('progress', { n: p.done, m: p.all })),
    orgProgress(),
    S.session.settings.auto_reveal ? h('p', { class: 'note' }, t('auto_on')) : null,
    h('div', { class: 'actions' },
      actionButton('reveal', t('reveal'), () => command('reveal', 'reveal', { force: false }), { impossible: !everyone, primary: true }),
      everyone ? null : actionButton('reveal', t('force_reveal'), () => command('reveal', 'reveal', { force: true }), { impossible: !p.any, describedby: 'force-note', id: 'btn-force-reveal' })),
    everyone ? null : h('p', { class: 'hint', id: 'force-note' }, t('force_note')));
}

function answerPanel() {
  const p = progress();
  return h('section', { class: 'card' },
    h('h2', {}, `${cap(t('phase_positioning'))} — ${t('round', { n: S.session.round })}`),
    h('p', { class: 'note' }, t('blind_note')),
    questionForm('intent'), questionForm('nature'),
    h('p', { class: 'hint' }, t('progress', { n: p.done, m: p.all })));
}

function questionForm(axis) {
  const saved = S.my_answers?.[axis] || null;
  const d = drafts.answer[axis] || { pole: saved?.pole || '', strength: saved?.strength || 2, motivation: saved?.motivation || '' };
  const edit = (patch, again) => { drafts.answer[axis] = { ...(drafts.answer[axis] || d), ...patch }; if (again) repaint(); };
  const what = 'answer:' + axis;
  const submit = () => {
    const a = drafts.answer[axis] || d;
    if (!a.pole || busy(what)) return;
    const args = { axis, pole: a.pole, strength: Number(a.strength) };
    if (a.motivation.trim()) args.motivation = a.motivation;
    command(what, 'answer', args);
  };
  let state = saved ? t('saved_answer', { pole: poleLabel(axis, saved.pole), strength: t('strength_' + saved.strength) }) : t('not_saved');
  if (drafts.answer[axis] && !busy(what)) state += ' ' + t('unsaved');
  return h('form', { class: 'question', onsubmit: onSubmit(submit) },
    h('fieldset', {},
      h('legend', {}, h('span', { class: 'axis-name' }, axisLabel(axis)), h('span', { class: 'question-text' }, txt(axisDoc(axis)?.question))),
      poles(axis).map((pole) => {
        const id = `pole-${axis}-${pole}`;
        return h('div', { class: 'choice' },
          h('input', { type: 'radio', name: 'pole-' + axis, id, value: pole, required: true, checked: d.pole === pole, onchange: () => edit({ pole }, true) }),
          h('label', { for: id }, h('strong', {}, poleLabel(axis, pole)), h('span', { class: 'desc' }, txt(poleDoc(axis, pole)?.description))));
      })),
    h('fieldset', { class: 'strength' }, h('legend', {}, t('strength')),
      [1, 2, 3].map((n) => h('span', { class: 'choice inline' },
        h('input', { type: 'radio', name: 'strength-' + axis, id: `strength-${axis}-${n}`, value: n, checked: Number(d.strength) === n, onchange: () => edit({ strength: n }, true) }),
        h('label', { for: `strength-${axis}-${n}` }, `${n} — ${t('strength_' + n)}`)))),
    field(t('motivation'), h('textarea', { id: 'motivation-' + axis, rows: 2, maxlength: 2000, value: d.motivation, oninput: (e) => edit({ motivation: e.target.value }) })),
    h('p', { class: 'status-line' }, state),
    h('div', { class: 'actions' },
      actionButton(what, t('save_answer'), null, { impossible: !d.pole }),
      saved ? actionButton('withdraw:' + axis, t('withdraw_answer'), () => {
        drafts.answer[axis] = null;
        command('withdraw:' + axis, 'withdraw_answer', { axis });
      }, { id: 'withdraw-' + axis }) : null));
}

function gatePanel(fac) {
  const g = S.gate;
  const last = S.resolutions[S.resolutions.length - 1];
  let text = t('gate_closed');
  if (g.open && g.resolved_by === 'split') text = t('gate_split');
  else if (g.open && g.resolved_by === 'decided') text = t('gate_decided', { form: formLabel(last?.form) });
  else if (g.open) text = t('gate_agreed', { form: formLabel(g.agreed) });
  if (!fac) {
    return h('section', { class: 'card' }, h('h2', {}, t('gate')),
      g.open ? h('p', { class: 'ok' }, text) : h('p', { class: 'warn' }, t('alignment_rep')));
  }
  const present = [...new Set(S.rounds[S.rounds.length - 1]?.positions.map(formOf).filter(Boolean))];
  const tracks = drafts.tracks || (drafts.tracks = [{ name: '', form: present[0] || '' }, { name: '', form: present[1] || '' }]);
  const decideForm = drafts.form || g.agreed || '';
  return h('section', { class: 'card' }, h('h2', {}, t('gate')),
    h('p', { id: 'gate-text', class: g.open ? 'ok' : 'warn' }, text),
    h('div', { class: 'actions' },
      actionButton('start_design', t('start_design'), () => command('start_design', 'start_design'), { impossible: !g.open, primary: true, describedby: 'gate-text' })),
    h('div', { class: 'sub' }, h('h3', {}, t('new_round')), h('p', { class: 'hint', id: 'new-round-note' }, t('new_round_note')),
      actionButton('new_round', t('new_round'), () => command('new_round', 'new_round'), { describedby: 'new-round-note' })),
    h('form', { class: 'sub', onsubmit: onSubmit(() => busy('decide') || command('decide', 'decide_form', { form: drafts.form || decideForm, rationale: drafts.rationale })) },
    h('h3', {}, t('decide')),
    field(t('f_form'), formSelect('decide-form', decideForm, (v) => { drafts.form = v; })),
    field(t('f_rationale'), h('textarea', { id: 'rationale', required: true, rows: 3, maxlength: 2000, value: drafts.rationale, oninput: (e) => { drafts.rationale = e.target.value; } })),
    actionButton('decide', t('decide_btn'))),
    h('form', { class: 'sub', onsubmit: onSubmit(() => busy('split') || command('split', 'split', { tracks: tracks.map(({ name, form, orgs }) => ({ name, form, organisations: orgs || [] })) })) },
    h('h3', {}, t('split')),
    tracks.map((tr, i) => h('div', { class: 'track-row' },
      field(t('f_track_name', { n: i + 1 }), h('input', { id: `track-name-${i}`, required: true, maxlength: 80, value: tr.name, oninput: (e) => { tr.name = e.target.value; } })),
      field(t('f_track_form', { n: i + 1 }), formSelect(`track-form-${i}`, tr.form, (v) => { tr.form = v; })),
      tracks.length > 2 ? h('button', { type: 'button', class: 'link', onclick: () => { tracks.splice(i, 1); repaint(); } }, t('remove_track', { n: i + 1 })) : null,
      activeOrgs().length > 1 ? h('fieldset', { class: 'track-orgs' }, h('legend', {}, t('f_track_orgs', { n: i + 1 })),
        activeOrgs().map((o) => h('span', { class: 'choice inline' },
          h('input', { type: 'checkbox', id: `track-org-${i}-${o.id}`, checked: (tr.orgs || []).includes(o.id),
            onchange: (e) => { tr.orgs = (tr.orgs || []).filter((x) => x !== o.id).concat(e.target.checked ? [o.id] : []); } }),
          h('label', { for: `track-org-${i}-${o.id}` }, o.name)))) : null)),
    h('div', { class: 'actions' },
      tracks.length < 8 ? h('button', { type: 'button', id: 'add-track', onclick: () => { tracks.push({ name: '', form: '' }); repaint(); } }, t('add_track')) : null,
      actionButton('split', t('split_btn')))));
}

function historyPanel() {
  const items = [...S.rounds.map((r) => ({ at: r.at, r })), ...S.resolutions.map((x) => ({ at: x.at, x }))]
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at)); // stable: a reveal stays before its resolution
  const entry = ({ r, x }) => {
    if (r) {
      const flags = [r.forced ? t('h_forced') : '', r.automatic ? t('h_auto') : ''].filter(Boolean).join(', ');
      return h('details', openable('hist-' + r.round),
        h('summary', { id: `hist-${r.round}-s` }, t('h_round', { n: r.round, time: time(r.at) }), flags ? ` (${flags})` : '',
          ' — ', r.report.agreed ? formLabel(r.report.agreed) : t('no_agreement')),
        reportView(r, 'hist-' + r.round, false));
    }
    if (x.kind === 'new_round') return t('h_new_round', { n: x.after_round, time: time(x.at) });
    if (x.kind === 'decided') {
      return [h('strong', {}, t('h_decided', { form: formLabel(x.form), time: time(x.at) })),
        h('p', { class: 'quote' }, x.rationale),
        x.dissenting.length ? h('p', { class: 'hint' }, t('h_dissent', { orgs: orgNames(x.dissenting) })) : null];
    }
    return [h('strong', {}, t('h_split', { time: time(x.at) })),
      h('ul', {}, x.tracks.map((tr) => h('li', {}, `${tr.name}: ${formLabel(tr.form)}`)))];
  };
  return h('section', { class: 'card' }, h('h2', {}, t('history')),
    items.length ? h('ol', { class: 'history' }, items.map((it) => h('li', {}, entry(it)))) : h('p', { class: 'muted' }, t('no_history')));
}

function peoplePanel(fac) {
  const positioning = S.session.phase === 'positioning';
  const li = (p) => {
    const on = online.has(p.id);
    let answered = '';
    if (positioning && p.role === 'representative') {
      const n = (p.answered.intent ? 1 : 0) + (p.answered.nature ? 1 : 0);
      answered = ' · ' + t(['answered_none', 'answered_one', 'answered_both'][n]);
    }
    return h('li', { class: on ? 'on' : 'off' }, h('span', { class: 'dot', 'aria-hidden': 'true' }),
      h('span', { class: 'name' }, p.name), h('span', { class: 'small' }, ` ${on ? t('online') : t('offline')}${answered}`));
  };
  const facs = S.participants.filter((p) => p.role === 'facilitator' && !p.removed);
  const orgs = activeOrgs();
  return h('section', { class: 'card people' },
    h('h2', {}, `${t('people')} (${online.size} ${t('online')})`),
    h('h3', {}, cap(t('role_facilitator'))), h('ul', {}, facs.map(li)),
    orgs.map((o) => [h('h3', {}, o.name), h('ul', {}, reps().filter((p) => p.organisation === o.id).map(li))]),
    orgs.length ? null : h('p', { class: 'muted' }, t('nobody')),
    fac ? managePanel() : null);
}
