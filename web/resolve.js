// Resolving a disagreement in alignment: a new round, a decision on one form, or a split into
// tracks, each with its reason. Once the gate is open, the choices fold into a summary of what
// was decided, with a way to change it.

import { h, field, onSubmit, repaint } from './dom.js';
import { t } from './i18n.js';
import { S, command, onSettled } from './live.js';
import { formLabel, formOf, activeOrgs } from './lookup.js';
import { actionButton, confirmButton, openable, formSelect } from './widgets.js';

const drafts = { form: '', rationale: '', tracks: null, splitWhy: '' };

onSettled((what) => {
  if (what === 'decide') { drafts.rationale = ''; drafts.form = ''; }
  if (what === 'split') { drafts.tracks = null; drafts.splitWhy = ''; }
});

/** What opened the gate, in words: agreement, a decision with its reason, or a split. */
export function resolutionSummary() {
  const g = S.gate;
  const last = S.resolutions[S.resolutions.length - 1];
  if (g.resolved_by === 'decided') {
    return h('div', { class: 'ok-box summary', id: 'gate-text' },
      h('p', { class: 'strong' }, t('gate_decided', { form: formLabel(g.decided) })),
      last?.rationale ? h('p', { class: 'quote' }, last.rationale) : null);
  }
  if (g.resolved_by === 'split') {
    return h('div', { class: 'ok-box summary', id: 'gate-text' },
      h('p', { class: 'strong' }, t('gate_split')),
      h('ul', {}, (last?.tracks || []).map((tr) => h('li', {}, `${tr.name}: ${formLabel(tr.form)}`))),
      last?.rationale ? h('p', { class: 'quote' }, last.rationale) : null);
  }
  return h('p', { class: 'ok', id: 'gate-text' }, t('gate_agreed', { form: formLabel(g.agreed) }));
}

function newRound() {
  return h('div', { class: 'option' }, h('h3', {}, t('new_round')),
    h('p', { class: 'hint', id: 'new-round-note' }, t('new_round_note')),
    actionButton('new_round', t('new_round'), () => command('new_round', 'new_round'), { id: 'btn-new_round', describedby: 'new-round-note' }));
}

function decide() {
  const form = drafts.form || S.gate.agreed || '';
  const ready = form && drafts.rationale.trim();
  return h('form', { class: 'option', onsubmit: onSubmit(() => {}) },
    h('h3', {}, t('decide')),
    field(t('f_form'), formSelect('decide-form', form, (v) => { drafts.form = v; repaint(); })),
    field(t('f_rationale'), h('textarea', {
      id: 'rationale', required: true, rows: 3, maxlength: 2000, value: drafts.rationale,
      oninput: (e) => { const was = Boolean(drafts.rationale.trim()); drafts.rationale = e.target.value; if (was !== Boolean(e.target.value.trim())) repaint(); },
    })),
    confirmButton('decide', t('decide_btn'), t('decide_q', { form: formLabel(form) }),
      () => command('decide', 'decide_form', { form, rationale: drafts.rationale }), { impossible: !ready, id: 'btn-decide' }));
}

function split() {
  const present = [...new Set(S.rounds[S.rounds.length - 1]?.positions.map(formOf).filter(Boolean))];
  const tracks = drafts.tracks || (drafts.tracks = [{ name: '', form: present[0] || '' }, { name: '', form: present[1] || '' }]);
  const ready = tracks.every((tr) => tr.name.trim() && tr.form) && drafts.splitWhy.trim();
  const edit = (fn) => (e) => { const before = ready; fn(e); if (before !== (tracks.every((tr) => tr.name.trim() && tr.form) && drafts.splitWhy.trim())) repaint(); };
  return h('form', { class: 'option', onsubmit: onSubmit(() => {}) },
    h('h3', {}, t('split')),
    tracks.map((tr, i) => h('div', { class: 'track-row' },
      field(t('f_track_name', { n: i + 1 }), h('input', { id: `track-name-${i}`, required: true, maxlength: 80, value: tr.name, oninput: edit((e) => { tr.name = e.target.value; }) })),
      field(t('f_track_form', { n: i + 1 }), formSelect(`track-form-${i}`, tr.form, (v) => { tr.form = v; repaint(); })),
      tracks.length > 2 ? h('button', { type: 'button', class: 'link', id: `remove-track-${i}`, onclick: () => { tracks.splice(i, 1); repaint(); } }, t('remove_track', { n: i + 1 })) : null,
      activeOrgs().length > 1 ? h('fieldset', { class: 'track-orgs' }, h('legend', {}, t('f_track_orgs', { n: i + 1 })),
        activeOrgs().map((o) => h('span', { class: 'choice inline' },
          h('input', { type: 'checkbox', id: `track-org-${i}-${o.id}`, checked: (tr.orgs || []).includes(o.id),
            onchange: (e) => { tr.orgs = (tr.orgs || []).filter((x) => x !== o.id).concat(e.target.checked ? [o.id] : []); } }),
          h('label', { for: `track-org-${i}-${o.id}` }, o.name)))) : null)),
    tracks.length < 8 ? h('button', { type: 'button', id: 'add-track', onclick: () => { tracks.push({ name: '', form: '' }); repaint(); } }, t('add_track')) : null,
    field(t('f_split_rationale'), h('textarea', { id: 'split-rationale', required: true, rows: 3, maxlength: 2000, value: drafts.splitWhy, oninput: edit((e) => { drafts.splitWhy = e.target.value; }) })),
    confirmButton('split', t('split_btn'), t('split_q', { tracks: tracks.map((tr) => `${tr.name} (${formLabel(tr.form)})`).join(', ') }),
      () => command('split', 'split', {
        tracks: tracks.map(({ name, form, orgs }) => ({ name, form, organisations: orgs || [] })),
        rationale: drafts.splitWhy,
      }), { impossible: !ready, id: 'btn-split' }));
}

/** The three ways out of a disagreement; folded away once the gate is open. */
export function resolutionPanel() {
  // A diagnosis has no gate and no tracks: a decision only says which form is intended.
  const diagnosis = S.session.mode === 'diagnosis';
  const options = h('div', { class: 'options' }, newRound(), decide(), diagnosis ? null : split());
  const settled = diagnosis ? Boolean(S.diagnosis?.analysis.intended) : S.gate.open;
  if (!settled) return [h('p', {}, t(diagnosis ? 'resolve_intro_diag' : 'resolve_intro')), options];
  return h('details', { ...openable('change-resolution'), class: 'sub' },
    h('summary', { id: 'change-resolution-s' }, t('resolution_change')), options);
}
