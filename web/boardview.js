// The board: the session as the room sees it on the projector (or an observer on their own
// screen), opened with a board link. Large type on a dark ground, no controls at all, nothing
// but what everyone may see; it follows the facilitator: per phase who has joined, who has
// answered (never what), the reveal, the 2×2 with its disagreements, the aspect in focus with
// its proposal and then its responses, the progress over the 13 aspects, the review's
// approvals. The timer is large; its end is seen by everyone at once.
//
// Safety: as everywhere, names and texts reach the DOM only as text nodes.

import { h, mount } from './dom.js';
import { t, txt, cap } from './i18n.js';
import { S, online, stale, conn, fatal, startLive } from './live.js';
import {
  personName, orgName, orgNames, formLabel, axisLabel, axisDoc, poleLabel, reps, activeOrgs, answerProgress,
  aspectList, inTrack, clusterDoc, approvingOrgs, hasApproved, approvedTracks,
} from './lookup.js';
import { stepper } from './steps.js';
import { placements, matrixSvg, formText } from './matrix.js';
import { reasonsView } from './report.js';
import { timerBadge, timeUpBanner, startTicking, qrSrc, spacedCode } from './tools.js';
import { resolutionSummary } from './resolve.js';
import { diagnosisBoard, diagnosisSummary } from './boarddiagnosis.js';
import { driftBoard } from './drift.js';
import { carriedOf, remainingLine } from './design.js';

const CUE_MS = 8_000;  // how long the reveal's cue stays up
let seenRounds = null; // rounds and revealed aspects seen, to cue a new reveal
let seenReveals = null;
let cueUntil = 0;
let cueText = '';
let cuePhase = '';

export function showBoard(id) {
  document.body.classList.add('board-view');
  mount(paint);
  startTicking();
  startLive(id, { board: true });
}

/** A new reveal (of the answers or of an aspect) since the last paint gets a clear cue. */
function watchReveals() {
  const reveals = S.tracks.reduce((n, tr) => n + tr.aspects.reduce((m, a) => m + a.reveals.length, 0), 0)
    + (S.diagnosis?.aspects.reduce((n, a) => n + a.reveals.length, 0) ?? 0);
  const aspectCue = S.diagnosis ? 'board_cue_placements' : 'board_cue_aspect';
  if (seenRounds !== null && S.rounds.length > seenRounds) { cueUntil = Date.now() + CUE_MS; cueText = t('board_cue_round'); }
  else if (seenReveals !== null && reveals > seenReveals) { cueUntil = Date.now() + CUE_MS; cueText = t(aspectCue); }
  if (cueUntil > Date.now() && !cuePhase) cuePhase = S.session.phase;
  // A cue belongs to its moment: the next phase ends it.
  if (cuePhase && cuePhase !== S.session.phase) cueUntil = 0;
  if (cueUntil <= Date.now()) cuePhase = '';
  if (cueUntil > Date.now()) setTimeout(() => { if (Date.now() >= cueUntil) mount(paint); }, cueUntil - Date.now() + 50);
  seenRounds = S.rounds.length;
  seenReveals = reveals;
}

function paint() {
  const app = document.getElementById('app');
  if (!S) {
    document.title = 'Grondvorm';
    app.replaceChildren(h('main', { class: 'board' }, h('p', { class: 'board-message' }, fatal ? t(fatal) : t('loading'))));
    return;
  }
  document.title = `${S.session.title} — ${t('board')}`;
  document.body.dataset.phase = S.session.phase;
  watchReveals();
  app.replaceChildren(
    h('header', { class: 'board-top' },
      h('h1', { class: 'board-title' }, S.session.title),
      stepper('board-stepper'),
      timerBadge(true),
      conn === 'online' ? null : h('span', { class: `conn conn-${conn}`, id: 'conn' }, t('conn_' + conn))),
    h('main', { class: 'board board-' + S.session.phase, id: 'board' },
      cueUntil > Date.now() ? h('p', { class: 'board-cue', id: 'board-cue', role: 'status' }, cueText) : null,
      timeUpBanner(),
      phaseView()));
}

function phaseView() {
  switch (S.session.phase) {
    case 'lobby': return lobby();
    case 'positioning': return positioning();
    case 'alignment': return alignment();
    case 'design': return design();
    case 'diagnosis': return diagnosisBoard();
    case 'review': return review();
    default: return closed();
  }
}

// ---------------------------------------------------------------- joining and presence

/** How to join: the QR code, large enough to scan from the back of the room, and the code. */
function joinBlock(small = false) {
  const code = S.session.join_code;
  if (!code) return null;
  const short = `${location.host}/j/${code}`;
  return h('section', { class: 'board-join' + (small ? ' small' : ''), 'aria-label': t('join_link') },
    h('img', { class: 'board-qr', id: 'board-qr', src: qrSrc(), alt: t('qr_alt', { link: short }) }),
    h('div', { class: 'board-join-text' },
      h('p', {}, t('board_join_scan')),
      h('p', { class: 'board-url', id: 'board-url' }, short),
      h('p', {}, t('board_join_code'), ' ', h('strong', { class: 'board-code', id: 'board-code' }, spacedCode(code)))));
}

const presenceOf = (id) => (!online.has(id) ? 'off' : stale.has(id) ? 'stale' : 'on');

/** Everyone by organisation, each with their connection and (optionally) more about them. */
function peopleGrid(extra) {
  const orgs = activeOrgs().filter((o) => reps().some((p) => p.organisation === o.id));
  if (!orgs.length) return h('p', { class: 'board-muted' }, t('nobody'));
  return h('ul', { class: 'board-orgs' }, orgs.map((o) => h('li', { class: 'board-org' },
    h('h3', {}, o.name),
    h('ul', {}, reps().filter((p) => p.organisation === o.id).map((p) => h('li', { class: 'board-person ' + presenceOf(p.id), 'data-person': p.id },
      h('span', { class: 'dot', 'aria-hidden': 'true' }),
      h('span', { class: 'name' }, p.name),
      presenceOf(p.id) === 'on' ? null : h('span', { class: 'board-flag' }, t('presence_' + presenceOf(p.id))),
      extra ? extra(p) : null))))));
}

/** The joint goal, once stated: the questions are about it (the article: collaborating is
 *  not a goal in itself). */
function jointGoal() {
  return S.session.joint_goal ? h('p', { class: 'board-goal', id: 'board-goal' }, h('strong', {}, t('goal_joint'), ': '), S.session.joint_goal) : null;
}

function lobby() {
  const n = reps().length;
  return h('div', { class: 'board-split' },
    joinBlock(),
    h('section', { class: 'board-panel' },
      h('h2', {}, t('board_joined', { n })),
      jointGoal(),
      peopleGrid()));
}

function positioning() {
  const p = answerProgress();
  const answered = (x) => {
    const k = (x.answered.intent ? 1 : 0) + (x.answered.nature ? 1 : 0);
    return h('span', { class: 'board-answered a' + k, 'aria-label': t(['answered_none', 'answered_one', 'answered_both'][k]) },
      ['○○', '●○', '●●'][k], ' ', t(['answered_none', 'answered_one', 'answered_both'][k]));
  };
  return h('div', { class: 'board-split' },
    h('section', { class: 'board-panel' },
      h('h2', {}, t('board_answer_now')),
      h('ol', { class: 'board-questions' }, ['intent', 'nature'].map((axis) => h('li', {},
        h('span', { class: 'axis-name' }, axisLabel(axis)), h('span', {}, txt(axisDoc(axis)?.question))))),
      h('p', { class: 'board-big', id: 'board-progress' }, t('progress', { n: p.done, m: p.all })),
      h('meter', { min: 0, max: Math.max(1, p.all), value: p.done, 'aria-label': t('progress', { n: p.done, m: p.all }) }),
      jointGoal(),
      joinBlock(true)),
    h('section', { class: 'board-panel' }, h('h2', {}, t('board_who_answered')), peopleGrid(answered)));
}

// ---------------------------------------------------------------- the reveal and the gate

/** The first sentence of a text. */
const firstSentence = (text) => {
  const end = text.search(/[.!?]\s+\p{Lu}/u);
  return end > 0 ? text.slice(0, end + 1) : text;
};

/** Where the partners differ, for the room: per question who stands where and why (their
 *  reasons), then per pair of forms the model's explanation. The matrix shows the rest. */
function differences(r) {
  const rep = r.report;
  const axes = rep.axes.filter((a) => a.disagreement);
  if (!axes.length && !rep.form_pairs.length) {
    return h('p', { class: 'ok' }, rep.agreed ? t('agreed_on', { form: formLabel(rep.agreed) }) : t('no_differences'));
  }
  return h('section', { class: 'board-differences', id: 'board-differences' },
    h('h3', {}, t('where_differ')),
    axes.map((a) => h('div', { class: 'board-axis' },
      h('h4', {}, t('differ_on', { axis: axisLabel(a.axis) })),
      h('ul', { class: 'board-poles' }, a.poles.map((p) => h('li', {}, h('strong', {}, poleLabel(a.axis, p.pole)), ': ', orgNames(p.organisations)))),
      reasonsView((x) => x.kind === 'axis' && x.axis === a.axis && x.round === r.round))),
    rep.form_pairs.map((p) => {
      const ex = r.explanations.pairs.find((e) => e.a === p.a && e.b === p.b);
      // One pair: the model's whole explanation. Several: the sentence that names the
      // difference, so that the board still fits one screen (the phones have the rest).
      const text = ex ? txt(ex.text) : '';
      return h('div', { class: 'board-pair' }, h('h4', {}, `${formLabel(p.a)} ↔ ${formLabel(p.b)}`),
        text ? h('p', { class: 'explain' }, rep.form_pairs.length > 1 ? firstSentence(text) : text) : null);
    }));
}

/** The gate in words; a diagnosis has none, only the form the partners intend. */
function gateLine() {
  if (S.diagnosis) {
    const intended = S.diagnosis.analysis.intended;
    return h('p', { class: intended ? 'ok' : 'warn', id: 'board-gate' }, intended ? t('intended_is', { form: formLabel(intended) }) : t('board_intended_none'));
  }
  return S.gate.open ? resolutionSummary() : h('p', { class: 'warn', id: 'board-gate' }, t('board_gate_closed'));
}

function alignment() {
  const r = S.rounds[S.rounds.length - 1];
  if (!r) return null;
  const orgs = placements(r);
  return h('div', { class: 'board-split wide-left' },
    h('section', { class: 'board-panel board-matrix' },
      h('figure', { 'aria-label': t('matrix_round', { n: r.round }) }, matrixSvg(r, orgs, 'board-matrix')),
      h('ul', { class: 'board-legend' }, orgs.map((o) => h('li', {}, h('strong', {}, orgName(o.id)), o.advisor ? ` (${t('advisor_flag')})` : '', ': ', formText(o))))),
    h('section', { class: 'board-panel' },
      gateLine(),
      // A follow-up shows who moved since the baseline; the phones have the differences.
      S.baseline ? driftBoard() : differences(r)));
}

// ---------------------------------------------------------------- the design

const STATUS_MARK = { open: '○', revealed: '●', agreed: '✓', parked: '‖' };

/** The 13 aspects of the track in focus as a strip, the focused one marked; other tracks as one
 *  line each, so that the board fits one screen. */
function progressStrip() {
  const shown = S.focus?.track ?? 0;
  return h('section', { class: 'board-panel board-strip', 'aria-label': t('glance') }, S.tracks.map((tr, ti) => {
    const done = tr.aspects.filter((a) => a.status === 'agreed' || a.status === 'parked').length;
    const head = h('h2', {}, h('span', {}, S.tracks.length > 1 ? `${tr.name} · ${formLabel(tr.form)}` : formLabel(tr.form)),
      h('span', { class: 'board-count' }, t('board_done', { n: done, m: tr.aspects.length })));
    if (ti !== shown) {
      return h('div', { class: 'board-track other' }, head,
        h('p', { class: 'board-marks', 'aria-hidden': 'true' }, tr.aspects.map((a) => h('span', { class: 'st-' + a.status }, STATUS_MARK[a.status]))));
    }
    return h('div', { class: 'board-track' }, head,
      h('ol', { class: 'board-chips' }, aspectList().map(([, a], i) => {
        const st = tr.aspects.find((x) => x.aspect === a.id);
        const focused = S.focus?.aspect === a.id && (S.focus.track ?? 0) === ti;
        // In a follow-up, an earlier agreement now contested says so.
        const contested = st.status === 'agreed' ? null : S.drift?.contested.find((r) => r.track === ti && r.aspect === a.id);
        return h('li', { class: `board-chip st-${st.status}` + (focused ? ' focused' : ''), 'aria-current': focused ? 'step' : null },
          h('span', { class: 'chip-n' }, String(i + 1)), h('span', { class: 'chip-label' }, txt(a.label)),
          contested ? h('span', { class: 'board-flag contested' }, t('verdict_' + contested.verdict)) : null,
          h('span', { class: 'chip-status' }, h('span', { 'aria-hidden': 'true' }, STATUS_MARK[st.status]), h('span', { class: 'visually-hidden' }, t('status_' + st.status))));
      })));
  }));
}

function focusedAspect() {
  const f = S.focus;
  if (!f?.aspect) return null;
  const ti = f.track ?? 0;
  const tr = S.tracks[ti];
  const found = aspectList().find(([, a]) => a.id === f.aspect);
  if (!tr || !found) return null;
  const [c, a] = found;
  const st = tr.aspects.find((x) => x.aspect === a.id);
  const n = aspectList().findIndex(([, x]) => x.id === a.id) + 1;
  const expected = reps().filter((p) => inTrack(tr, p.organisation));
  const last = st.reveals[st.reveals.length - 1];
  const current = last && last.round === st.round ? last : null;
  return h('section', { class: 'board-panel board-aspect', id: 'board-aspect' },
    h('p', { class: 'board-kicker' }, t('aspect_n', { n, m: aspectList().length }), ' · ', txt(c.label),
      S.tracks.length > 1 ? ` · ${tr.name}` : ''),
    h('h2', {}, txt(a.label)),
    h('p', { class: 'board-question' }, txt(a.question)),
    h('div', { class: 'board-proposal' },
      h('p', { class: 'board-kicker' }, carriedOf(tr, a.id) ? t('agreed_before', { title: S.baseline?.title ?? '' }) : t('proposal', { form: formLabel(tr.form) })),
      h('p', {}, carriedOf(tr, a.id)?.text ?? txt(a.principles[tr.form]))),
    st.status === 'open' ? h('div', { class: 'board-responded' },
      h('p', { class: 'board-big' }, t('responded_count', { n: st.responded.length, m: expected.length })),
      h('p', {}, expected.map((p) => h('span', { class: 'board-tag' + (st.responded.includes(p.id) ? ' done' : '') },
        st.responded.includes(p.id) ? '✓ ' : '… ', p.name)))) : null,
    st.status !== 'open' && current ? groupedReveal(current, tr, { track: ti, aspect: a.id }) : null,
    st.status === 'agreed' && st.agreement ? h('div', { class: 'ok-box board-agreed' },
      h('p', { class: 'board-kicker' }, t('agreed_label')), h('p', { class: 'agreed-text' }, st.agreement.text)) : null,
    st.status === 'parked' ? h('div', { class: 'warn-box' }, h('p', { class: 'board-kicker' }, t('parked_label')), h('p', {}, st.parked ?? '')) : null);
}

/** A reveal for the room: one card per text chosen, with who chose it (and their comments),
 *  so that the difference stands out; the reasons of those who were asked below. */
function groupedReveal(rv, tr, where) {
  const groups = new Map();
  for (const r of rv.responses) {
    const key = r.form ? 'form:' + r.form : 'text:' + r.text;
    if (!groups.has(key)) groups.set(key, { text: r.text, form: r.form, people: [] });
    groups.get(key).people.push(r);
  }
  const onThis = (x) => x.kind === 'aspect' && x.track === where.track && x.aspect === where.aspect && x.round === rv.round;
  return h('div', { class: 'reveal board-reveal' },
    h('p', { class: 'board-kicker' }, t('reveal_round', { n: rv.round }), ' ',
      rv.disagreement ? h('span', { class: 'flag' }, t('disagreement')) : h('span', { class: 'flag ok-flag' }, t('all_same'))),
    h('ul', { class: 'cards' }, [...groups.values()].map((g) => h('li', { class: 'response-card' + (g.form && g.form !== tr.form ? ' mixed' : '') },
      h('p', { class: 'card-head' }, h('strong', {}, g.people.map((r) => personName(r.participant)).join(', ')),
        h('span', { class: 'tag' }, g.form ? formLabel(g.form) : g.text ? t('choice_own_short') : t('choice_no_longer_short')),
        g.form && g.form !== tr.form ? h('span', { class: 'flag' }, t('mixing')) : null),
      h('p', { class: 'response-text' }, g.text),
      g.people.filter((r) => r.response.comment).map((r) => h('p', { class: 'motivation' }, `${personName(r.participant)}: ${r.response.comment}`))))),
    rv.mixing.length ? h('p', { class: 'mixing' }, t('board_mixing', { form: formLabel(tr.form) })) : null,
    reasonsView(onThis));
}

function design() {
  const aspect = focusedAspect();
  const cluster = S.focus?.cluster && !S.focus.aspect ? clusterDoc(S.focus.cluster) : null;
  return h('div', { class: 'board-split wide-right' },
    h('div', {}, progressStrip(), remainingLine('board-remains', 'board-remains')),
    aspect || h('section', { class: 'board-panel' },
      h('h2', {}, cluster ? txt(cluster.label) : t('board_design')),
      h('p', { class: 'board-question' }, cluster ? txt(cluster.question) : t('board_wait_focus'))));
}

// ---------------------------------------------------------------- the review and the end

function approvals() {
  return h('ul', { class: 'board-approvals' }, approvingOrgs().map((o) => {
    const done = hasApproved(o.id);
    const a = [...S.approvals].reverse().find((x) => x.organisation === o.id);
    // With several tracks a partner may approve one first: the board says which.
    const part = !done && a ? approvedTracks(o.id).map((i) => S.tracks[i]?.name).join(', ') : null;
    return h('li', { class: done ? 'on' : part ? 'part' : 'off' }, h('span', { class: 'mark', 'aria-hidden': 'true' }, done ? '✓' : part ? '◐' : '…'),
      h('strong', {}, o.name), ' ', h('span', {}, done ? t('board_approved', { name: a?.by ? personName(a.by) : '' })
        : part ? t('board_approved_part', { tracks: part }) : t('not_approved_yet')));
  }));
}

function review() {
  const n = approvingOrgs().filter((o) => hasApproved(o.id)).length;
  return h('div', { class: 'board-split' },
    h('section', { class: 'board-panel' },
      h('h2', {}, cap(t('phase_review'))),
      h('p', { class: 'board-big' }, t('board_review', { n })),
      approvals()),
    h('section', { class: 'board-panel' }, h('h2', {}, t('objections')),
      S.objections.length ? h('ul', { class: 'plain' }, S.objections.map((o) => h('li', {},
        h('strong', {}, orgName(o.organisation)), ': ', h('span', { class: 'quote' }, o.reason)))) : h('p', { class: 'board-muted' }, t('board_no_objections'))));
}

function closed() {
  return h('div', { class: 'board-split' },
    h('section', { class: 'board-panel' },
      h('h2', {}, t('board_closed')),
      S.closure?.forced ? h('p', { class: 'warn' }, t('closed_forced', { orgs: S.closure.not_approved.map(orgName).join(', ') })) : h('p', { class: 'ok' }, t('all_approved')),
      approvals()),
    S.diagnosis ? diagnosisSummary() : h('section', { class: 'board-panel board-design-summary' }, h('h2', {}, t('board_design_agreed')), remainingLine('board-remains', 'board-remains'), S.tracks.map((tr) => {
      const agreed = tr.aspects.filter((a) => a.status === 'agreed').length;
      return h('div', {},
        h('h3', {}, S.tracks.length > 1 ? `${tr.name} · ${formLabel(tr.form)}` : formLabel(tr.form),
          h('span', { class: 'board-count' }, ' ', t('board_agreed_n', { n: agreed, m: tr.aspects.length }))),
        h('ul', { class: 'board-closed-aspects' }, aspectList().map(([, a]) => {
          const st = tr.aspects.find((x) => x.aspect === a.id);
          return h('li', { class: 'st-' + st.status },
            h('span', { class: 'mark', 'aria-hidden': 'true' }, STATUS_MARK[st.status]), ' ', txt(a.label),
            st.status === 'agreed' ? null : h('span', { class: 'board-flag' }, ` (${t('status_' + st.status)})`));
        })));
    })));
}
