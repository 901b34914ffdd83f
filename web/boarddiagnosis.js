// The board in a diagnosis: on the left the mixing map and the dominant form (once anything is
// revealed), on the right the aspect in focus — who has placed it (never where), then its
// placements grouped by the form they count for — or, with nothing in focus, the mixing, the
// gaps and the aspects seen differently. Nothing here comes from a blind placement: the
// snapshot a board gets has none.

import { h } from './dom.js';
import { t, txt } from './i18n.js';
import { S } from './live.js';
import { personName, formLabel, forms, reps, aspectList } from './lookup.js';
import { headline, mixingMap, findingLists } from './profile.js';
import { diagAspect, currentReveal, countsFor, placementText, placementKind } from './diagnosis.js';

/** The placements of a reveal, one card per form (or "none", or each own text untagged). */
function grouped(rv, a) {
  const groups = new Map();
  for (const p of rv.placements) {
    const form = countsFor(p);
    const key = form ? 'form:' + form : p.placed.kind === 'none' ? 'none' : 'own:' + p.placed.text;
    if (!groups.has(key)) groups.set(key, { form, kind: placementKind(p), text: placementText(p, a), people: [] });
    groups.get(key).people.push(p);
  }
  return h('ul', { class: 'cards' }, [...groups.values()].map((g) => h('li', { class: 'response-card', 'data-form': g.form || '' },
    h('p', { class: 'card-head' }, h('strong', {}, g.people.map((p) => personName(p.participant)).join(', ')),
      h('span', { class: 'tag' }, g.form ? formLabel(g.form) : g.kind)),
    h('p', { class: 'response-text' }, g.form && g.people.some((p) => p.placed.kind === 'own')
      ? g.people.map((p) => placementText(p, a)).join(' · ') : g.text),
    g.people.filter((p) => p.example).map((p) => h('p', { class: 'motivation' }, `${personName(p.participant)}: ${p.example}`)))));
}

function focused() {
  const f = S.focus;
  if (!f?.aspect) return null;
  const found = aspectList().find(([, a]) => a.id === f.aspect);
  if (!found) return null;
  const [c, a] = found;
  const st = diagAspect(a.id);
  const n = aspectList().findIndex(([, x]) => x.id === a.id) + 1;
  const current = currentReveal(st);
  const people = reps();
  return h('section', { class: 'board-panel board-aspect', id: 'board-aspect' },
    h('p', { class: 'board-kicker' }, t('aspect_n', { n, m: aspectList().length }), ' · ', txt(c.label)),
    h('h2', {}, txt(a.label)),
    h('p', { class: 'board-question' }, txt(a.question)),
    st.status === 'open' ? h('ul', { class: 'board-principles' }, forms().map((f) => h('li', { class: 'f-' + f },
      h('strong', {}, formLabel(f)), ' ', h('span', {}, txt(a.principles[f]))))) : null,
    st.status === 'open' ? h('div', { class: 'board-responded' },
      h('p', { class: 'board-big' }, t('placed_count', { n: st.placed.length, m: people.length })),
      h('p', {}, people.map((p) => h('span', { class: 'board-tag' + (st.placed.includes(p.id) ? ' done' : '') },
        st.placed.includes(p.id) ? '✓ ' : '… ', p.name)))) : null,
    current ? h('div', { class: 'reveal board-reveal' },
      h('p', { class: 'board-kicker' }, t('placements_round', { n: current.round })), grouped(current, a)) : null,
    st.finding ? h('div', { class: 'ok-box board-agreed' }, h('p', { class: 'board-kicker' }, t('finding')), h('p', {}, st.finding)) : null);
}

/** The left side: the dominant form and the mixing map, or what to do while nothing is revealed. */
function picture(title) {
  const an = S.diagnosis.analysis;
  return h('section', { class: 'board-panel board-profile', id: 'board-profile' },
    h('h2', {}, title),
    an.intended ? h('p', { class: 'form-tag' }, t('intended_is', { form: formLabel(an.intended) })) : null,
    an.revealed.length ? [headline(an.overall, an.intended), mixingMap(an.overall, an.revealed, 'board-map')]
      : h('p', { class: 'board-question' }, t('board_diag_wait')));
}

export function diagnosisBoard() {
  const an = S.diagnosis.analysis;
  return h('div', { class: 'board-split wide-left' },
    picture(t('board_diag')),
    focused() || h('section', { class: 'board-panel' },
      an.revealed.length ? [h('h2', {}, t('analysis')), findingLists(an.overall)]
        : [h('h2', {}, t('board_diag')), h('p', { class: 'board-question' }, t('board_wait_focus'))]));
}

/** The end of a diagnosis: its map, beside the approvals. */
export const diagnosisSummary = () => picture(t('board_diag_done'));
