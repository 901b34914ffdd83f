// What a diagnosis shows, as the server works it out from revealed placements only
// (snapshot diagnosis.analysis): the mixing map (the aspects coloured by the form they belong
// to, marked where that is not the reference form), the profile (aspects × the four forms,
// how many placed each where), the gaps and the aspects seen differently, and a line per
// organisation. The session page and the board draw the same parts; the board in its own
// colours.

import { h } from './dom.js';
import { t, txt } from './i18n.js';
import { S, model } from './live.js';
import { orgName, formLabel, forms, aspectList, aspectDoc } from './lookup.js';

const label = (id) => txt(aspectDoc(id)?.label) || id;
const flag = (text, cls = '') => h('span', { class: 'flag ' + cls }, text);

/** Per aspect what the summary says of it: its row, and whether it mixes, is a gap, differs. */
function facts(summary, revealed) {
  const row = new Map(summary.profile.map((r) => [r.aspect, r]));
  const mixing = new Set(summary.mixing.map((m) => m.aspect));
  const gaps = new Set(summary.gaps);
  const differing = new Set(summary.differing);
  return (id) => ({
    row: row.get(id), revealed: revealed.includes(id),
    mixing: mixing.has(id), gap: gaps.has(id), differing: differing.has(id),
  });
}

/** The form an aspect belongs to, in words: a form, a gap, seen differently, or not revealed. */
function belongs(f) {
  if (!f.revealed) return t('not_revealed');
  if (f.row?.form) return formLabel(f.row.form);
  if (f.gap) return t('gap');
  return t('differing');
}

/** Dominant form and what mixing is measured against, in one or two sentences. */
export function headline(summary, intended) {
  const ref = summary.reference;
  return [
    h('p', { class: 'big-ish', id: 'dominant' }, summary.dominant ? t('dominant_is', { form: formLabel(summary.dominant) }) : t('dominant_none')),
    h('p', { class: 'hint', id: 'reference' }, !ref ? t('ref_none')
      : intended && ref === intended ? t('ref_intended', { form: formLabel(ref) }) : t('ref_dominant', { form: formLabel(ref) })),
  ];
}

/** The mixing map: the aspects in the model's clusters, each coloured by the form it belongs
 *  to, with a word for what it is (never colour alone). */
export function mixingMap(summary, revealed, id = 'mixing-map') {
  if (!model) return null;
  const of = facts(summary, revealed);
  return h('figure', { class: 'mixing-map', id, 'aria-labelledby': id + '-h' },
    h('figcaption', { id: id + '-h' }, t('mixing_map')),
    h('div', { class: 'map-clusters' }, model.clusters.map((c) => h('section', { class: 'map-cluster' },
      h('h4', {}, txt(c.label)),
      h('ul', { class: 'map-tiles' }, c.aspects.map((a) => {
        const f = of(a.id);
        const cls = ['map-tile', f.row?.form ? 'f-' + f.row.form : f.revealed ? 'f-none' : 'f-unrevealed'];
        if (f.mixing) cls.push('is-mixing');
        return h('li', { class: cls.join(' '), 'data-aspect': a.id, 'data-form': f.row?.form || '', 'data-mixing': f.mixing ? 'true' : null },
          h('span', { class: 'tile-label' }, txt(a.label)),
          h('span', { class: 'tile-form' }, belongs(f)),
          f.mixing ? flag(t('mixing')) : null,
          f.differing && f.row?.form ? flag(t('differing'), 'soft') : null);
      }))))));
}

/** The profile as a table: per aspect how many placed it with each form's principle. */
export function profileTable(summary, revealed, id = 'profile') {
  const of = facts(summary, revealed);
  const fs = forms();
  return h('table', { class: 'profile', id },
    h('caption', {}, t('profile'), h('span', { class: 'small' }, ' — ', t('profile_caption'))),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('col_aspect')), fs.map((f) => h('th', { scope: 'col', class: 'f-' + f }, formLabel(f))),
      h('th', { scope: 'col' }, t('col_belongs')))),
    h('tbody', {}, aspectList().map(([, a]) => {
      const f = of(a.id);
      const counts = f.row?.counts ?? [0, 0, 0, 0];
      return h('tr', { class: f.mixing ? 'is-mixing' : f.gap ? 'is-gap' : null },
        h('th', { scope: 'row' }, txt(a.label)),
        fs.map((form, i) => h('td', { class: counts[i] ? `n f-${form}` + (f.row?.form === form ? ' most' : '') : 'zero' }, f.revealed ? String(counts[i]) : '·')),
        h('td', {}, belongs(f), f.mixing ? flag(t('mixing')) : null));
    })));
}

/** The three lists: mixing (with the form), gaps, and aspects seen differently. */
export function findingLists(summary) {
  const list = (items) => (items.length ? h('ul', { class: 'dlist' }, items) : h('p', { class: 'muted' }, t('none_listed')));
  return h('div', { class: 'finding-lists' },
    h('div', { id: 'mixing-list' }, h('h4', {}, t('mixing_n', { n: summary.mixing.length })),
      list(summary.mixing.map((m) => h('li', {}, `${label(m.aspect)}: ${formLabel(m.form)}`)))),
    h('div', { id: 'gaps-list' }, h('h4', {}, t('gaps_n', { n: summary.gaps.length })),
      list(summary.gaps.map((a) => h('li', {}, label(a))))),
    h('div', { id: 'differing-list' }, h('h4', {}, t('differing_n', { n: summary.differing.length })),
      list(summary.differing.map((a) => h('li', {}, label(a))))));
}

/** Per organisation: its intended form, its dominant one, and where it mixes. */
function organisationLines(an) {
  if (!an.organisations.length) return null;
  return [h('h3', {}, t('per_org')), h('ul', { class: 'dlist org-lines' }, an.organisations.map((o) => h('li', { 'data-org': o.organisation },
    h('strong', {}, orgName(o.organisation)), o.advisor ? ` (${t('advisor_flag')})` : '', ': ',
    t('dominant_is', { form: o.dominant ? formLabel(o.dominant) : '—' }),
    o.intended ? ` · ${t('org_intends', { form: formLabel(o.intended) })}` : '',
    o.mixing.length ? ` · ${t('org_mixing', { list: o.mixing.map((m) => label(m.aspect)).join(', ') })}` : '',
    o.gaps.length ? ` · ${t('org_gaps', { list: o.gaps.map(label).join(', ') })}` : '')))];
}

/** The whole analysis for the session page. */
export function analysisPanel() {
  const an = S.diagnosis?.analysis;
  if (!an) return null;
  const body = an.revealed.length
    ? [headline(an.overall, an.intended), mixingMap(an.overall, an.revealed), findingLists(an.overall),
      h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': t('profile') }, profileTable(an.overall, an.revealed)), organisationLines(an)]
    : h('p', { class: 'muted' }, t('analysis_none'));
  return h('section', { class: 'card analysis', id: 'analysis', 'aria-labelledby': 'analysis-h' },
    h('h2', { id: 'analysis-h' }, t('analysis')),
    an.intended ? h('p', { class: 'form-tag', id: 'intended' }, t('intended_is', { form: formLabel(an.intended) })) : null,
    body);
}
