// The facilitator's next step: where the session is (the steps of the model), and in one card
// the one thing to do now — "Reveal (4 of 5 answered)", "Next aspect", "Close the session" —
// with what goes with it close by and the rest tucked away. Steps that cannot be undone ask
// first; opening the review can be undone (back to design).

import { h } from './dom.js';
import { t, txt } from './i18n.js';
import { S, command, preview } from './live.js';
import { personName, formLabel, reps, activeOrgs, answerProgress, aspectList, inTrack, approvingOrgs, hasApproved } from './lookup.js';
import { actionButton, confirmButton } from './widgets.js';
import { previewView } from './report.js';
import { resolutionPanel, resolutionSummary } from './resolve.js';
import { agreeForm, aspectPreview } from './design.js';
import { stepLabel } from './tools.js';
import { diagnosisNext } from './diagnosis.js';

const DESIGN = ['lobby', 'positioning', 'alignment', 'design', 'review', 'closed'];
const DIAGNOSIS = ['lobby', 'positioning', 'alignment', 'diagnosis', 'review', 'closed'];
/** The session's phases in order: a diagnosis has its own step instead of the design. */
export const phases = () => (S.session.mode === 'diagnosis' ? DIAGNOSIS : DESIGN);

/** The six phases as steps, the current one marked; a diagnosis that went straight from the
 *  lobby shows positioning and alignment as skipped. */
export function stepper(id = 'stepper') {
  const list = phases();
  const at = list.indexOf(S.session.phase);
  const skipped = (p) => S.session.mode === 'diagnosis' && !S.rounds.length && (p === 'positioning' || p === 'alignment') && at > 2;
  return h('ol', { class: 'stepper', id, 'aria-label': t('steps') }, list.map((p, i) => h('li', {
    class: skipped(p) ? 'skipped' : i < at ? 'done' : i === at ? 'current' : 'todo', 'aria-current': i === at ? 'step' : null,
  }, h('span', { class: 'step-n', 'aria-hidden': 'true' }, skipped(p) ? '–' : i < at ? '✓' : String(i + 1)), ' ', t('phase_' + p),
  skipped(p) ? h('span', { class: 'visually-hidden' }, ` (${t('skipped')})`) : null)));
}

const card = (...content) => h('section', { class: 'card next-step', id: 'next-step', 'aria-labelledby': 'next-step-h' },
  h('h2', { id: 'next-step-h' }, t('next_step')), ...content);

function lobby() {
  const n = reps().length;
  const orgs = activeOrgs().filter((o) => reps().some((p) => p.organisation === o.id)).length;
  if (S.session.mode === 'diagnosis') {
    return card(
      h('p', { class: 'big' }, n ? t('lobby_joined', { n, m: orgs }) : t('lobby_nobody')),
      h('div', { class: 'actions' },
        actionButton('start_diagnosis', t('start_diagnosis_n', { n }), () => command('start_diagnosis', 'start_diagnosis'),
          { primary: true, impossible: n === 0, id: 'btn-start_diagnosis' }),
        actionButton('start_positioning', t('ask_intended_n', { n }), () => command('start_positioning', 'start_positioning'),
          { impossible: n === 0, id: 'btn-start_positioning' })),
      h('p', { class: 'hint' }, t('lobby_fac_diag')));
  }
  return card(
    h('p', { class: 'big' }, n ? t('lobby_joined', { n, m: orgs }) : t('lobby_nobody')),
    h('div', { class: 'actions' },
      actionButton('start_positioning', t('start_positioning_n', { n }), () => command('start_positioning', 'start_positioning'),
        { primary: true, impossible: n === 0, id: 'btn-start_positioning' })),
    h('p', { class: 'hint' }, t('lobby_fac')));
}

function positioning() {
  const p = answerProgress();
  const everyone = p.all > 0 && p.done === p.all;
  const label = t('reveal_n', { n: p.done, m: p.all });
  const mine = preview?.preview.kind === 'reveal' && preview.preview.round === S.session.round ? preview.preview : null;
  return card(
    h('p', { class: 'big', id: 'reveal-progress' }, t('progress', { n: p.done, m: p.all })),
    S.session.settings.auto_reveal ? h('p', { class: 'note' }, t('auto_on')) : null,
    h('div', { class: 'actions' },
      everyone
        ? actionButton('reveal', label, () => command('reveal', 'reveal', { force: false }), { primary: true, id: 'btn-reveal' })
        : confirmButton('reveal', label, t('reveal_force_q', { names: p.missing.map((x) => x.name).join(', ') }),
          () => command('reveal', 'reveal', { force: true }), { primary: true, impossible: !p.any, id: 'btn-reveal', yes: t('reveal_anyway') }),
      actionButton('preview', t('preview_button'), () => command('preview', 'preview_reveal'), { impossible: !p.any, id: 'btn-preview' })),
    h('p', { class: 'hint' }, t('preview_hint')),
    mine ? previewView(mine) : null);
}

function alignment() {
  const g = S.gate;
  const asked = S.rationale_requests;
  const diagnosis = S.session.mode === 'diagnosis';
  const intended = S.diagnosis?.analysis.intended;
  return card(
    diagnosis ? [h('p', { class: intended ? 'ok' : 'warn', id: 'gate-text' }, intended ? t('intended_is', { form: formLabel(intended) }) : t('intended_none')),
      h('p', { class: 'hint' }, t('diag_alignment_fac')),
      h('div', { class: 'actions' },
        actionButton('start_diagnosis', t('start_diagnosis'), () => command('start_diagnosis', 'start_diagnosis'), { primary: true, id: 'btn-start_diagnosis' }))]
      : [g.open ? resolutionSummary() : h('p', { class: 'warn', id: 'gate-text' }, t('gate_closed')),
        g.open ? h('div', { class: 'actions' },
          actionButton('start_design', t('start_design'), () => command('start_design', 'start_design'), { primary: true, id: 'btn-start_design' })) : null],
    asked.length ? h('p', { class: 'hint', id: 'asked-status' }, t('asked_status', {
      names: asked.map((q) => `${personName(q.participant)} (${q.given ? t('given') : t('waiting')})`).join(', '),
    })) : null,
    resolutionPanel());
}

/** The aspect the focus is on, if it is on one: [track index, track, cluster, aspect, state]. */
function focused() {
  const f = S.focus;
  if (!f?.aspect) return null;
  const ti = f.track ?? 0;
  const tr = S.tracks[ti];
  const found = aspectList().find(([, a]) => a.id === f.aspect);
  if (!tr || !found) return null;
  return [ti, tr, found[0], found[1], tr.aspects.find((x) => x.aspect === f.aspect)];
}

/** The next aspect still to deal with after the focused one (in the model's order, track by
 *  track), or the first one when nothing is focused. */
function nextAspect(from) {
  const all = S.tracks.flatMap((tr, ti) => aspectList().map(([c, a]) => [ti, c, a, tr.aspects.find((x) => x.aspect === a.id)]));
  const start = from ? all.findIndex(([ti, , a]) => ti === from[0] && a.id === from[3].id) + 1 : 0;
  const rest = [...all.slice(start), ...all.slice(0, start)];
  return rest.find(([, , , st]) => st.status === 'open' || st.status === 'revealed') || null;
}

const focusOn = ([ti, c, a]) => command('focus', 'focus', { track: ti, cluster: c.id, aspect: a.id });

function design() {
  const f = focused();
  const all = S.tracks.flatMap((tr) => tr.aspects);
  const left = all.filter((a) => a.status === 'open' || a.status === 'revealed').length;
  const next = nextAspect(f);
  const review = left
    ? confirmButton('open_review', t('open_review'), t('open_review_q', { n: left }), () => command('open_review', 'open_review'), { id: 'btn-open_review', primary: !next })
    : actionButton('open_review', t('open_review'), () => command('open_review', 'open_review'), { primary: true, id: 'btn-open_review' });
  const goNext = next ? actionButton('focus', f ? t('next_aspect', { aspect: txt(next[2].label) }) : t('first_aspect', { aspect: txt(next[2].label) }),
    () => focusOn(next), { primary: !f || !['open', 'revealed'].includes(f[4].status), id: 'btn-next-aspect' }) : null;
  if (!f) return card(h('p', {}, left ? t('design_start') : t('design_done')), h('div', { class: 'actions' }, goNext, review));
  const [ti, tr, , a, st] = f;
  const n = aspectList().findIndex(([, x]) => x.id === a.id) + 1;
  const expected = reps().filter((p) => inTrack(tr, p.organisation)).length;
  const key = `${ti}:${a.id}`;
  const last = st.reveals[st.reveals.length - 1];
  const current = last && last.round === st.round ? last : null;
  const mine = preview?.preview.kind === 'aspects' && preview.preview.track === ti ? preview.preview.aspects.find((x) => x.aspect === a.id) : null;
  return card(
    h('p', { class: 'big' }, t('aspect_n', { n, m: aspectList().length }), ': ', stepLabel({ track: ti, aspect: a.id })),
    st.status === 'open' ? [
      h('div', { class: 'actions' },
        actionButton('reveal:' + key, t('reveal_aspect_n', { n: st.responded.length, m: expected }),
          () => command('reveal:' + key, 'reveal_aspects', { track: ti, aspect: a.id }), { primary: true, impossible: !st.responded.length, id: 'btn-reveal-focus' }),
        actionButton('preview:' + key, t('preview_button'), () => command('preview:' + key, 'preview_aspects', { track: ti, aspect: a.id }),
          { impossible: !st.responded.length, id: 'btn-preview-focus' }),
        goNext),
      mine && st.round === mine.round ? aspectPreview(mine, tr) : null] : null,
    st.status === 'revealed' ? [agreeForm(ti, tr, a, st, current, 'next'), h('div', { class: 'actions' }, goNext)] : null,
    st.status === 'agreed' || st.status === 'parked' ? h('div', { class: 'actions' }, goNext) : null,
    h('div', { class: 'actions secondary' }, review));
}

function review() {
  const expected = approvingOrgs();
  const approved = expected.filter((o) => hasApproved(o.id));
  const missing = expected.filter((o) => !approved.includes(o));
  const names = missing.map((o) => o.name).join(', ');
  const label = t('close_n', { n: approved.length, m: expected.length });
  return card(
    h('p', { class: 'big' }, t('approved_n', { n: approved.length, m: expected.length })),
    h('div', { class: 'actions' },
      missing.length
        ? confirmButton('close', label, t('close_force_confirm', { orgs: names }), () => command('close', 'close', { force: true }),
          { primary: true, danger: true, id: 'btn-close', yes: t(S.objections.length ? 'close_force' : 'close_without') })
        : confirmButton('close', label, t('close_confirm'), () => command('close', 'close', { force: false }), { primary: true, id: 'btn-close', yes: t('close') }),
      confirmButton('back_to_design', t(S.diagnosis ? 'back_to_diagnosis' : 'back_to_design'), t(S.diagnosis ? 'back_to_diagnosis_q' : 'back_to_design_q'), () => command('back_to_design', 'back_to_design'), { id: 'btn-back-to-design' })),
    h('p', { class: 'hint' }, t('review_fac')));
}

/** The facilitator's one card for what to do now. */
export function nextStep() {
  switch (S.session.phase) {
    case 'lobby': return lobby();
    case 'positioning': return positioning();
    case 'alignment': return alignment();
    case 'design': return design();
    case 'diagnosis': return card(...diagnosisNext());
    case 'review': return review();
    default: return card(h('p', { class: 'ok' }, t('closed_note')));
  }
}
