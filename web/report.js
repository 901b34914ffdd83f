// A revealed positioning round in words and pictures: the 2×2 (matrix.js) with its legend, the
// disagreements with the model's explanations and the reasons people gave, everyone's answers
// as cards, and the round as the history shows it (a small table). Also the facilitator's
// preview of a reveal, which only they see.

import { h } from './dom.js';
import { t, txt, cap } from './i18n.js';
import {
  personName, orgName, orgNames, formLabel, axisLabel, poleLabel, formOf, formAt, poles,
} from './lookup.js';
import { S } from './live.js';
import { openable } from './widgets.js';
import { placements, matrixSvg, swatch, formText, answerText } from './matrix.js';

function legend(orgs) {
  return h('ul', { class: 'legend', 'aria-label': t('legend') }, orgs.map((o) => h('li', {},
    swatch(o),
    h('div', {},
      h('strong', {}, orgName(o.id)), ' — ', formText(o),
      o.form === 'split' ? h('span', { class: 'flag' }, t('split_inside')) : null,
      o.advisor ? h('span', { class: 'flag' }, t('advisor_flag')) : null,
      h('span', { class: 'people' }, [
        ...o.positions.map((p) => `${personName(p.participant)}: ${answerText(p)}`),
        ...o.missing.map((pid) => `${personName(pid)}: ${t('no_answer')}`),
      ].join(' · '))))));
}

// ---------------------------------------------------------------- the reasons given

/** The reasons given on a subject (the latest per person), and who is asked and has not. */
export function reasonsOn(matches) {
  const latest = new Map();
  for (const r of S.rationales.filter((x) => matches(x.about))) latest.set(r.participant, r);
  const waiting = S.rationale_requests.filter((q) => matches(q.about) && !q.given);
  return { given: [...latest.values()], waiting };
}

/** The reasons given on a subject, as quotes; `waitingToo` also names who is asked still. */
export function reasonsView(matches, waitingToo = true) {
  const { given, waiting } = reasonsOn(matches);
  if (!given.length && !(waitingToo && waiting.length)) return null;
  return h('div', { class: 'reasons' },
    h('h5', {}, t('reasons')),
    given.length ? h('ul', { class: 'plain reasons-list' }, given.map((r) => h('li', {},
      h('span', { class: 'small' }, `${personName(r.participant)} (${orgName(r.organisation)})`),
      h('p', { class: 'quote' }, r.text)))) : null,
    waitingToo && waiting.length ? h('p', { class: 'hint' }, t('reasons_waiting', { names: waiting.map((q) => personName(q.participant)).join(', ') })) : null);
}

const axisSubject = (r, axis) => (a) => a.kind === 'axis' && a.axis === axis && a.round === r.round;

// ---------------------------------------------------------------- the disagreements

/** Where the partners differ: per question, per pair of forms (with the model's explanation)
 *  and inside organisations; with the reasons people gave. */
export function disagreementsView(r, current, { reasons = true } = {}) {
  const rep = r.report;
  const axes = rep.axes.filter((a) => a.disagreement);
  const splits = rep.organisations.filter((o) => o.split);
  const none = !axes.length && !rep.form_pairs.length && !splits.length;
  const named = (ids) => ids.map(personName).join(', ');
  return h('section', { class: 'disagreements', id: current ? 'disagreements' : null, 'aria-labelledby': current ? 'disagreements-h' : null },
    h('h3', { id: current ? 'disagreements-h' : null }, t('where_differ')),
    none ? h('p', { class: 'ok' }, rep.agreed ? t('agreed_on', { form: formLabel(rep.agreed) }) : t('no_differences')) : null,
    rep.form_pairs.map((p) => {
      const ex = r.explanations.pairs.find((e) => e.a === p.a && e.b === p.b);
      return h('div', { class: 'pair', 'data-a': p.a, 'data-b': p.b },
        h('h4', {}, `${formLabel(p.a)} ↔ ${formLabel(p.b)}`),
        h('div', { class: 'sides' },
          h('p', { class: 'side' }, h('span', { class: 'side-form' }, formLabel(p.a)), h('span', { class: 'side-orgs' }, orgNames(p.a_organisations))),
          h('p', { class: 'side' }, h('span', { class: 'side-form' }, formLabel(p.b)), h('span', { class: 'side-orgs' }, orgNames(p.b_organisations)))),
        ex ? h('p', { class: 'explain' }, txt(ex.text)) : null);
    }),
    axes.map((a) => {
      const ex = r.explanations.axes.find((e) => e.axis === a.axis);
      return h('div', { class: 'axis', 'data-axis': a.axis },
        h('h4', {}, t('differ_on', { axis: axisLabel(a.axis) })),
        h('ul', {}, a.poles.map((p) => h('li', {}, h('strong', {}, poleLabel(a.axis, p.pole)), ': ',
          orgNames(p.organisations), p.participants.length ? ` (${named(p.participants)})` : ''))),
        ex ? h('p', { class: 'explain' }, txt(ex.text)) : null,
        ex && ex.advice ? h('p', { class: 'advice' }, h('strong', {}, t('product_advice')), ' ', txt(ex.advice)) : null,
        reasons && r.positions ? reasonsView(axisSubject(r, a.axis)) : null);
    }),
    splits.length ? h('div', { class: 'axis' }, h('h4', {}, cap(t('split_inside'))),
      h('ul', {}, splits.map((o) => h('li', {}, h('strong', {}, orgName(o.organisation)), ': ',
        o.forms.map((f) => {
          const who = (r.positions || []).filter((p) => p.organisation === o.organisation && formOf(p) === f).map((p) => personName(p.participant));
          return who.length ? `${formLabel(f)} (${who.join(', ')})` : formLabel(f);
        }).join(' · '))))) : null);
}

// ---------------------------------------------------------------- everyone's answers

function answerCard(p) {
  const line = (axis, a) => h('li', {},
    h('span', { class: 'small' }, axisLabel(axis)), ' ',
    a ? h('strong', {}, `${poleLabel(axis, a.pole)} (${a.strength}/3)`) : '—',
    a?.motivation ? h('span', { class: 'motivation' }, a.motivation) : null);
  const form = formOf(p);
  return h('li', { class: 'answer-card' },
    h('p', { class: 'card-head' }, h('strong', {}, personName(p.participant)), ' · ', orgName(p.organisation),
      h('span', { class: 'tag' }, form ? formLabel(form) : t('not_placed'))),
    h('ul', { class: 'plain' }, line('intent', p.intent), line('nature', p.nature)));
}

/** Every answer of a round, as cards (they fit a phone without scrolling sideways). */
export const answerCards = (r) => h('ul', { class: 'cards' }, r.positions.map(answerCard));

// ---------------------------------------------------------------- the round's report

/** The 2×2 as a table (for the history: an earlier round at a glance, without the picture). */
function matrixTable(r) {
  const rep = r.report;
  const cell = (form) => {
    const orgs = rep.organisations.filter((o) => o.forms.includes(form));
    return h('td', { class: rep.agreed === form ? 'agreed' : null },
      h('span', { class: 'form-name' }, formLabel(form)),
      orgs.length ? h('ul', {}, orgs.map((o) => h('li', {},
        h('strong', {}, orgName(o.organisation)),
        o.split ? h('span', { class: 'flag' }, t('split_inside')) : null,
        h('span', { class: 'people' }, r.positions
          .filter((p) => p.organisation === o.organisation && formOf(p) === form)
          .map((p) => personName(p.participant)).join(', '))))) : null);
  };
  return h('table', { class: 'matrix' },
    h('caption', {}, t('matrix_caption', { n: r.round })),
    h('thead', {}, h('tr', {}, h('td', {}), poles('nature').map((n) => h('th', { scope: 'col' }, poleLabel('nature', n))))),
    h('tbody', {}, [...poles('intent')].reverse().map((i) => h('tr', {}, h('th', { scope: 'row' }, poleLabel('intent', i)),
      poles('nature').map((n) => cell(formAt(i, n)))))));
}

/** The picture of a round: the 2×2 beside its legend. */
export function matrixPicture(r, id = 'matrix') {
  const orgs = placements(r);
  const rep = r.report;
  return h('div', { class: 'matrix-wrap' },
    h('figure', { class: 'matrix-figure' }, matrixSvg(r, orgs, id)),
    h('div', { class: 'matrix-side' },
      h('p', { class: rep.agreed ? 'ok' : 'warn' }, rep.agreed ? t('agreed_on', { form: formLabel(rep.agreed) }) : t('no_agreement')),
      legend(orgs),
      h('p', { class: 'hint' }, t('matrix_how'))));
}

/** One revealed round. `current`: the latest, drawn as the picture with the ids tests use. */
export function reportView(r, key, current) {
  const rep = r.report;
  const picture = current ? matrixPicture(r)
    : [matrixTable(r), h('p', { class: rep.agreed ? 'ok' : 'warn' }, rep.agreed ? t('agreed_on', { form: formLabel(rep.agreed) }) : t('no_agreement'))];
  return h('section', { class: 'card report', id: current ? 'report-current' : null },
    current ? h('h2', { id: 'report-h' }, t('matrix_round', { n: r.round })) : null,
    picture,
    r.missing.length ? h('p', { class: 'hint' }, t('missing', { names: r.missing.map(personName).join(', ') })) : null,
    disagreementsView(r, current),
    h('details', openable(key + '-positions', false), h('summary', { id: key + '-positions-s' }, t('positions')),
      answerCards(r)));
}

// ---------------------------------------------------------------- the facilitator's preview

/** What the reveal will show, for the facilitator's eyes only: where people would stand and
 *  differ, never what they wrote. */
export function previewView(p) {
  const rep = p.report;
  const byForm = (f) => rep.participants.filter((x) => x.form === f);
  return h('section', { class: 'card preview', id: 'preview', 'aria-labelledby': 'preview-h' },
    h('h3', { id: 'preview-h' }, t('preview_title')),
    h('p', { class: 'note' }, t('preview_private')),
    h('p', { class: rep.agreed ? 'ok' : 'warn' }, rep.agreed ? t('preview_agreed', { form: formLabel(rep.agreed) }) : t('preview_differ')),
    h('ul', { class: 'plain preview-forms' }, ['transactional', 'functional', 'entrepreneurial', 'exploratory']
      .filter((f) => byForm(f).length)
      .map((f) => h('li', {}, h('strong', {}, formLabel(f)), ': ', byForm(f).map((x) => `${personName(x.participant)} (${orgName(x.organisation)})`).join(', ')))),
    disagreementsView({ report: rep, explanations: p.explanations, round: p.round }, false, { reasons: false }),
    p.missing.length ? h('p', { class: 'hint' }, t('missing', { names: p.missing.map(personName).join(', ') })) : null);
}
