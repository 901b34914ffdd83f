// The live session page, for a facilitator on their laptop and a partner on their phone: the
// session as this person may see it, rebuilt from the last snapshot whenever something
// changes. A compact header that stays on screen (phase, timer, connection), an honest banner
// when the connection is lost, then the step the session is at. The facilitator gets their
// next step first (steps.js) and their tools folded away below; the projector shows the board
// (boardview.js), not this page. design.js and review.js draw the later phases, report.js a
// revealed round.

import { h, field, onSubmit, mount, repaint } from './dom.js';
import { t, txt, cap, errText } from './i18n.js';
import { layout } from './frame.js';
import {
  S, sid, online, stale, conn, fatal, notices, pending, startLive, command, busy, onSettled, dismissNotice,
} from './live.js';
import {
  person, orgName, formLabel, axisLabel, axisDoc, poleLabel, poleDoc, poles, time, reps, activeOrgs, answerProgress,
} from './lookup.js';
import { actionButton, openable, openState } from './widgets.js';
import { designPanel, openReviewPanel, glancePanel, focusBanner, objectionsOpen } from './design.js';
import { reviewPanel, closedPanel, recordPanel } from './review.js';
import {
  timerBadge, timerPanel, notesPanel, managePanel, startTicking, joinPanel, settingsPanel,
  myLinkPanel, orgProgress, soundToggle, timeUpBanner,
} from './tools.js';
import { reportView } from './report.js';
import { deletePanel, boardLinksPanel, openBoardButton } from './manage.js';
import { stepper, nextStep } from './steps.js';
import { myRequests, rationaleForm } from './rationale.js';
import { goalsView, myGoalPanel, goalsPanel, advisorsPanel } from './aims.js';
import { diagnosisPanel, placeProgress, diagnosisLabel } from './diagnosis.js';
import { driftPanel, baselineLine, followUpPanel } from './drift.js';

// What the person is choosing or typing, kept across repaints. An answer draft of null means
// "show the saved answer".
const drafts = { answer: { intent: null, nature: null } };
let shownPhase = null; // the phase the page last showed, to move to a new one when it comes

onSettled((what) => {
  if (what.startsWith('answer:')) drafts.answer[what.slice(7)] = null;
});

export function showSession(id) {
  mount(paint);
  startTicking();
  startLive(id);
}

// ---------------------------------------------------------------- the page
// Every control has a stable id, so that repaint() can give focus back after a rebuild.

/** The connection as the header shows it: a word and a colour, never just a colour. */
export const connBadge = () => h('span', { class: `conn conn-${conn}`, id: 'conn' }, t('conn_' + conn));

/** The banner of a lost connection: what happened, and what happens to what one does now. */
export function connBanner() {
  if (conn !== 'reconnecting') return null;
  return h('div', { class: 'conn-banner', id: 'conn-banner', role: 'alert' },
    h('strong', {}, t('conn_lost')), ' ',
    pending.size ? t('conn_lost_pending', { n: pending.size }) : t('conn_lost_note'));
}

function paint() {
  // The toggle event comes a moment after a <details> opens: read what is open now, so that a
  // repaint in between does not close it again.
  for (const d of document.querySelectorAll('details[id]')) openState.set(d.id, d.open);
  if (!S) {
    document.title = 'Grondvorm';
    layout(connBadge(), h('section', { class: 'card narrow' }, fatal
      ? [h('p', { class: 'error' }, t(fatal)),
        ['no_token', 'bad_token'].includes(fatal) ? h('p', {}, h('a', { href: `/join/${encodeURIComponent(sid)}` }, t('join'))) : null]
      : h('p', { class: 'muted' }, t('loading'))));
    return;
  }
  const fac = S.me.role === 'facilitator';
  const me = person(S.me.participant);
  document.title = `${S.session.title} — Grondvorm`;
  document.body.dataset.phase = S.session.phase;
  layout(
    [h('h1', { class: 'title' }, S.session.title),
      h('span', { class: 'badge phase-badge', id: 'phase-badge' }, t('phase_' + S.session.phase),
        S.session.round && ['positioning', 'alignment'].includes(S.session.phase) ? ` · ${t('round', { n: S.session.round })}` : ''),
      timerBadge(), S.timer ? soundToggle() : null,
      connBadge(),
      h('span', { class: 'me' }, me?.name ?? '?', S.me.organisation ? ` · ${orgName(S.me.organisation)}` : ` · ${t('role_' + S.me.role)}`)],
    connBanner(), noticeArea(), timeUpBanner(),
    fac ? facilitatorPage() : partnerPage());
  moveToNewStep();
}

/** When the phase changes, the page goes to the new step: to its top, with the keyboard focus
 *  on its heading (a screen reader says where it is). */
function moveToNewStep() {
  const phase = S.session.phase;
  if (shownPhase === phase) return;
  const first = shownPhase === null;
  shownPhase = phase;
  if (first) return;
  requestAnimationFrame(() => {
    const target = document.getElementById('step-h') || document.querySelector('main h2');
    if (!target) return;
    if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
    target.scrollIntoView({ block: 'start' });
    target.focus({ preventScroll: true });
  });
}

const stepHeading = (text) => h('h2', { id: 'step-h', tabindex: -1, class: 'step-h' }, text);

function noticeArea() {
  const items = notices.map((n) => h('p', { class: 'error' }, errText(n), ' ',
    h('button', { type: 'button', class: 'link', onclick: () => dismissNotice(n) }, t('dismiss'))));
  if (fatal) items.unshift(h('p', { class: 'error' }, t(fatal)));
  return h('div', { class: 'notices' }, items);
}

// ---------------------------------------------------------------- the facilitator

function facilitatorPage() {
  const phase = S.session.phase;
  const open = phase !== 'closed';
  return h('div', { class: 'cols' },
    h('div', { class: 'main-col' },
      h('div', { class: 'fac-top' }, stepper(), open ? openBoardButton() : null),
      nextStep(), objectionsOpen(), focusBanner(true), facilitatorPhase(), followUpPart(), open ? null : followUpPanel()),
    // The tools, folded away: each opens where it is.
    h('aside', { class: 'side-col', 'aria-label': t('tools') },
      peoplePanel(true),
      goalsPanel(),
      advisorsPanel(),
      open ? boardLinksPanel() : null,
      open ? joinPanel() : null,
      open ? timerPanel() : null,
      notesPanel(true),
      open ? settingsPanel() : null,
      phase === 'review' || phase === 'closed' ? null : recordPanel(true, true),
      historyPanel(),
      myLinkPanel(true),
      deletePanel()));
}

function facilitatorPhase() {
  const phase = S.session.phase;
  const last = S.rounds.length ? S.rounds[S.rounds.length - 1] : null;
  if (S.diagnosis) return diagnosisPhase(phase, last);
  if (phase === 'lobby') return goalsView();
  if (phase === 'positioning') return [h('section', { class: 'card' }, stepHeading(cap(t('phase_positioning'))), orgProgress(), questionsShown()), goalsView()];
  if (phase === 'alignment') return last ? reportView(last, 'cur', true) : null;
  if (phase === 'design') return [orgProgress(), glancePanel(), designPanel(true, true), openReviewPanel(), last ? reportView(last, 'cur', true) : null];
  if (phase === 'review') return [reviewPanel(true), glancePanel(), designPanel(true, false)];
  return [closedPanel(), designPanel(true, false), last ? reportView(last, 'cur', true) : null];
}

/** A follow-up's baseline and drift: the baseline alone until the positions are revealed (a
 *  partner answers without being shown where their organisation stood). */
function followUpPart() {
  if (!S.baseline) return null;
  const early = ['lobby', 'positioning'].includes(S.session.phase);
  return early && S.me.role !== 'facilitator' ? baselineLine() : driftPanel();
}

/** A diagnosis session, for the facilitator: the same first phases, then the diagnosis. */
function diagnosisPhase(phase, last) {
  if (phase === 'lobby') return [h('p', { class: 'form-tag', id: 'mode-line' }, diagnosisLabel()), goalsView()];
  if (phase === 'positioning') return [h('section', { class: 'card' }, stepHeading(cap(t('phase_positioning'))), orgProgress(), questionsShown()), goalsView()];
  if (phase === 'alignment') return last ? reportView(last, 'cur', true) : null;
  if (phase === 'diagnosis') return [placeProgress(), diagnosisPanel(true, true)];
  if (phase === 'review') return [reviewPanel(true), diagnosisPanel(true, false)];
  return [closedPanel(), diagnosisPanel(true, false)];
}

/** The two questions the partners answer, for the facilitator to read along. */
function questionsShown() {
  return h('details', openable('questions'), h('summary', { id: 'questions-s' }, t('the_questions')),
    h('ol', {}, ['intent', 'nature'].map((axis) => h('li', {}, h('strong', {}, axisLabel(axis)), ': ', txt(axisDoc(axis)?.question)))));
}

// ---------------------------------------------------------------- the partner

function partnerPage() {
  const phase = S.session.phase;
  const last = S.rounds.length ? S.rounds[S.rounds.length - 1] : null;
  let content;
  if (S.diagnosis && ['diagnosis', 'review', 'closed'].includes(phase)) {
    content = phase === 'diagnosis' ? [myRequests('aspect').map(rationaleForm), diagnosisPanel(false, true)]
      : [phase === 'review' ? reviewPanel(false) : closedPanel(), diagnosisPanel(false, false)];
  } else if (phase === 'lobby') content = [lobbyPartner(), myGoalPanel(), goalsView()];
  else if (phase === 'positioning') content = [goalsView(), answerPanel(), myGoalPanel()];
  else if (phase === 'alignment') content = [myRequests('axis').map(rationaleForm), last ? reportView(last, 'cur', true) : null, gatePartner()];
  else if (phase === 'design') content = [myRequests('aspect').map(rationaleForm), objectionsOpen(), focusBanner(false), designPanel(false, true)];
  else if (phase === 'review') content = [reviewPanel(false), designPanel(false, false)];
  else content = [closedPanel(), designPanel(false, false)];
  return h('div', { class: 'partner' }, content, followUpPart(), notesPanel(false), myLinkPanel(false));
}

function lobbyPartner() {
  const orgs = activeOrgs().filter((o) => reps().some((p) => p.organisation === o.id));
  return h('section', { class: 'card' }, stepHeading(t('welcome', { name: person(S.me.participant)?.name ?? '' })),
    h('p', { class: 'big-ish' }, t(S.diagnosis ? 'lobby_rep_diag' : 'lobby_rep')),
    h('p', { class: 'hint' }, t('lobby_who', { n: reps().length, m: orgs.length })));
}

function answerPanel() {
  const p = answerProgress();
  const mine = S.my_answers;
  const n = (mine?.intent ? 1 : 0) + (mine?.nature ? 1 : 0);
  return h('section', { class: 'card' },
    stepHeading(`${cap(t('phase_positioning'))} — ${t('round', { n: S.session.round })}`),
    h('p', { class: 'note' }, t('blind_note')),
    h('p', { class: 'status-line', id: 'my-progress' }, t('you_answered', { n })),
    questionForm('intent', 1), questionForm('nature', 2),
    h('p', { class: 'hint' }, t('progress', { n: p.done, m: p.all })));
}

function questionForm(axis, number) {
  const saved = S.my_answers?.[axis] || null;
  // No strength is chosen for the person: how sure they are is theirs to say.
  const d = drafts.answer[axis] || { pole: saved?.pole || '', strength: saved?.strength || '', motivation: saved?.motivation || '' };
  const edit = (patch, again) => { drafts.answer[axis] = { ...(drafts.answer[axis] || d), ...patch }; if (again) repaint(); };
  const what = 'answer:' + axis;
  const submit = () => {
    const a = drafts.answer[axis] || d;
    if (!a.pole || !a.strength || busy(what)) return;
    const args = { axis, pole: a.pole, strength: Number(a.strength) };
    if (a.motivation.trim()) args.motivation = a.motivation;
    command(what, 'answer', args);
  };
  let state = saved ? t('saved_answer', { pole: poleLabel(axis, saved.pole), strength: t('strength_' + saved.strength) }) : t('not_saved');
  if (drafts.answer[axis] && !busy(what)) state += ' ' + t('unsaved');
  return h('form', { class: 'question', onsubmit: onSubmit(submit), id: 'question-' + axis },
    h('fieldset', {},
      h('legend', {}, h('span', { class: 'axis-name' }, t('question_n', { n: number }), ' · ', axisLabel(axis)), h('span', { class: 'question-text' }, txt(axisDoc(axis)?.question))),
      poles(axis).map((pole) => {
        const id = `pole-${axis}-${pole}`;
        return h('div', { class: 'choice' },
          h('input', { type: 'radio', name: 'pole-' + axis, id, value: pole, required: true, checked: d.pole === pole, onchange: () => edit({ pole }, true) }),
          h('label', { for: id }, h('strong', {}, poleLabel(axis, pole)), h('span', { class: 'desc' }, txt(poleDoc(axis, pole)?.description)),
            poleDoc(axis, pole)?.cues ? h('span', { class: 'cues' }, txt(poleDoc(axis, pole).cues)) : null));
      })),
    h('fieldset', { class: 'strength' }, h('legend', {}, t('strength')),
      [1, 2, 3].map((n) => h('span', { class: 'choice inline' },
        h('input', { type: 'radio', name: 'strength-' + axis, id: `strength-${axis}-${n}`, value: n, required: true, checked: Number(d.strength) === n, onchange: () => edit({ strength: n }, true) }),
        h('label', { for: `strength-${axis}-${n}` }, `${n} — ${t('strength_' + n)}`)))),
    field(t('motivation'), h('textarea', { id: 'motivation-' + axis, rows: 2, maxlength: 2000, value: d.motivation, oninput: (e) => edit({ motivation: e.target.value }) })),
    h('p', { class: 'status-line' }, state),
    h('div', { class: 'actions' },
      actionButton(what, t('save_answer'), null, { impossible: !d.pole || !d.strength }),
      saved ? actionButton('withdraw:' + axis, t('withdraw_answer'), () => {
        drafts.answer[axis] = null;
        command('withdraw:' + axis, 'withdraw_answer', { axis });
      }, { id: 'withdraw-' + axis }) : null));
}

function gatePartner() {
  if (S.diagnosis) {
    const intended = S.diagnosis.analysis.intended;
    return h('section', { class: 'card' }, h('h2', {}, cap(t('phase_alignment'))),
      h('p', { class: intended ? 'ok' : 'warn' }, intended ? t('intended_is', { form: formLabel(intended) }) : t('intended_none')),
      h('p', { class: 'hint' }, t('diag_alignment_rep')));
  }
  const g = S.gate;
  const last = S.resolutions[S.resolutions.length - 1];
  let text = t('alignment_rep');
  if (g.open && g.resolved_by === 'split') text = t('gate_split');
  else if (g.open && g.resolved_by === 'decided') text = t('gate_decided', { form: formLabel(g.decided) });
  else if (g.open) text = t('gate_agreed', { form: formLabel(g.agreed) });
  return h('section', { class: 'card' }, h('h2', {}, t('gate')),
    h('p', { class: g.open ? 'ok' : 'warn' }, text),
    g.open && last?.rationale && g.resolved_by ? h('p', { class: 'quote' }, last.rationale) : null);
}

// ---------------------------------------------------------------- shared panels

function historyPanel() {
  const items = [...S.rounds.map((r) => ({ at: r.at, r })), ...S.resolutions.map((x) => ({ at: x.at, x }))]
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at)); // stable: a reveal stays before its resolution
  if (!items.length) return null;
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
        x.dissenting.length ? h('p', { class: 'hint' }, t('h_dissent', { orgs: x.dissenting.map(orgName).join(', ') })) : null];
    }
    return [h('strong', {}, t('h_split', { time: time(x.at) })),
      h('ul', {}, x.tracks.map((tr) => h('li', {}, `${tr.name}: ${formLabel(tr.form)}`))),
      x.rationale ? h('p', { class: 'quote' }, x.rationale) : null];
  };
  return h('details', { ...openable('history'), class: 'card' }, h('summary', { id: 'history-s' }, t('history')),
    h('ol', { class: 'history' }, items.map((it) => h('li', {}, entry(it)))));
}

/** Who is here, per organisation, with their connection and (in positioning) whether they
 *  answered — never what. */
function peoplePanel(fac) {
  const positioning = S.session.phase === 'positioning';
  const placing = S.session.phase === 'diagnosis';
  const li = (p) => {
    const status = !online.has(p.id) ? 'off' : stale.has(p.id) ? 'stale' : 'on';
    let answered = '';
    if (positioning && p.role === 'representative') {
      const n = (p.answered.intent ? 1 : 0) + (p.answered.nature ? 1 : 0);
      answered = ' · ' + t(['answered_none', 'answered_one', 'answered_both'][n]);
    }
    if (placing && p.role === 'representative') {
      const open = S.diagnosis.aspects.filter((a) => a.status === 'open');
      answered = ' · ' + t('placed_count', { n: open.filter((a) => a.placed.includes(p.id)).length, m: open.length });
    }
    return h('li', { class: status, 'data-person': p.id }, h('span', { class: 'dot', 'aria-hidden': 'true' }),
      h('span', { class: 'name' }, p.name), h('span', { class: 'small' }, ` ${t('presence_' + status)}${answered}`));
  };
  const facs = S.participants.filter((p) => p.role === 'facilitator' && !p.removed);
  const orgs = activeOrgs();
  const here = [...online].filter((id) => S.participants.some((p) => p.id === id && !p.removed)).length;
  return h('details', { ...openable('people', S.session.phase === 'lobby'), class: 'card people' },
    h('summary', { id: 'people-s' }, `${t('people')} (${t('n_online', { n: here })})`),
    h('h3', {}, cap(t('role_facilitator'))), h('ul', {}, facs.map(li)),
    orgs.map((o) => [h('h3', {}, o.name), h('ul', {}, reps().filter((p) => p.organisation === o.id).map(li))]),
    orgs.length ? null : h('p', { class: 'muted' }, t('nobody')),
    fac ? managePanel() : null);
}
