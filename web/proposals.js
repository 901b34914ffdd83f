// Proposals for a revealed aspect (snapshot tracks[].aspects[].proposals): every text put
// forward this round, each with where it comes from and the form it belongs to, so that mixing
// shows before anything is agreed; a form to put one forward (a principle, a revealed
// response, an own text, or an amendment); and for the facilitator a tag for own texts and
// "agree on this".

import { h, field, onSubmit, repaint } from './dom.js';
import { t, txt } from './i18n.js';
import { S, command, busy, onSettled } from './live.js';
import { personName, formLabel, forms, inTrack } from './lookup.js';
import { actionButton, openable } from './widgets.js';

const drafts = new Map(); // `${track}:${aspect}` → {source, form, participant, proposal, text}

onSettled((what) => {
  const [kind, ti, aspect] = what.split(':');
  if (kind === 'propose') drafts.delete(`${ti}:${aspect}`);
});

/** This round's proposals of an aspect. */
const current = (st) => (st.proposals || []).filter((p) => p.round === st.round);

function sourceText(p) {
  const s = p.source;
  if (s.kind === 'principle') return t('prop_from_principle', { form: formLabel(s.form) });
  if (s.kind === 'response') return t('prop_from_response', { name: personName(s.participant) });
  if (s.kind === 'amendment') return t('prop_from_amendment', { n: s.of });
  return t('prop_from_own');
}

function formTag(p, trackForm) {
  const f = p.matches || p.resembles;
  const label = p.matches ? formLabel(p.matches) : p.resembles ? t('pl_own_like', { form: formLabel(p.resembles) }) : t('pl_own');
  return [h('span', { class: 'tag' }, label), f && f !== trackForm ? h('span', { class: 'flag' }, t('mixing')) : null];
}

/** The proposals of a revealed aspect, and the ways to add one or agree on one. */
export function proposalsView(ti, tr, a, st, fac, revealedResponses) {
  if (st.status !== 'revealed') return null;
  const list = current(st);
  const mayPropose = fac || (S.me.role === 'representative' && inTrack(tr, S.me.organisation));
  const base = `prop-${ti}-${a.id}`;
  return h('div', { class: 'proposals', id: base },
    h('h4', {}, t('proposals'), list.length ? ` (${list.length})` : ''),
    list.length ? h('ol', { class: 'cards proposals-list' }, list.map((p) => h('li', { class: 'response-card', 'data-proposal': p.id },
      h('p', { class: 'card-head' }, h('strong', {}, `#${p.id}`), ' · ', sourceText(p), ' · ', t('prop_by', { name: p.by ? personName(p.by) : '?' }), formTag(p, tr.form)),
      h('p', { class: 'response-text' }, p.text),
      fac ? facilitatorTools(ti, a, p) : null))) : h('p', { class: 'hint' }, t('proposals_none')),
    mayPropose ? proposeForm(ti, tr, a, list, revealedResponses, base) : null);
}

function facilitatorTools(ti, a, p) {
  const what = `agree-prop:${ti}:${a.id}:${p.id}`;
  const tagWhat = `tag-prop:${ti}:${a.id}:${p.id}`;
  return h('div', { class: 'actions' },
    p.matches ? null : h('label', { class: 'inline-field' }, t('tag_as'), ' ',
      h('select', {
        id: `prop-tag-${ti}-${a.id}-${p.id}`, 'aria-busy': busy(tagWhat) ? 'true' : null,
        onchange: (e) => command(tagWhat, 'tag_proposal', { track: ti, aspect: a.id, proposal: p.id, form: e.target.value || null }),
      }, h('option', { value: '', selected: !p.resembles }, t('resembles_none')),
      forms().map((f) => h('option', { value: f, selected: p.resembles === f }, formLabel(f))))),
    actionButton(what, t('prop_agree'), () => command(what, 'agree_aspect', { track: ti, aspect: a.id, proposal: p.id }), { id: `prop-agree-${ti}-${a.id}-${p.id}` }));
}

function proposeForm(ti, tr, a, list, responses, base) {
  const key = `${ti}:${a.id}`;
  const what = `propose:${ti}:${a.id}`;
  const withText = responses.filter((r) => r.text);
  const d = drafts.get(key) || { source: 'principle', form: tr.form, participant: withText[0]?.participant || '', proposal: list[list.length - 1]?.id || '', text: '' };
  const edit = (patch, again) => { drafts.set(key, { ...(drafts.get(key) || d), ...patch }); if (again) repaint(); };
  const submit = () => {
    const x = drafts.get(key) || d;
    if (busy(what)) return;
    const args = { track: ti, aspect: a.id, source: x.source };
    if (x.source === 'principle') args.form = x.form;
    if (x.source === 'response') args.participant = x.participant;
    if (x.source === 'amendment') args.proposal = Number(x.proposal);
    if (x.source === 'own' || x.source === 'amendment') args.text = x.text;
    command(what, 'propose', args);
  };
  const sources = ['principle', 'response', 'own', 'amendment'].filter((s) => (s === 'response' ? withText.length : s === 'amendment' ? list.length : true));
  const picked = list.find((p) => p.id === Number(d.proposal));
  return h('details', openable(base + '-new'), h('summary', { id: base + '-new-s' }, t('prop_new')),
    h('form', { class: 'sub', onsubmit: onSubmit(submit) },
      field(t('prop_source'), h('select', { id: base + '-source', value: d.source, onchange: (e) => edit({ source: e.target.value, text: e.target.value === 'amendment' ? (picked?.text ?? '') : d.text }, true) },
        sources.map((s) => h('option', { value: s, selected: d.source === s }, t('prop_source_' + s))))),
      d.source === 'principle' ? field(t('prop_form'), h('select', { id: base + '-form', value: d.form, onchange: (e) => edit({ form: e.target.value }, true) },
        forms().map((f) => h('option', { value: f, selected: d.form === f }, formLabel(f))))) : null,
      d.source === 'principle' ? h('p', { class: 'hint' }, txt(a.principles[d.form])) : null,
      d.source === 'response' ? field(t('prop_response'), h('select', { id: base + '-participant', value: d.participant, onchange: (e) => edit({ participant: e.target.value }, true) },
        withText.map((r) => h('option', { value: r.participant, selected: d.participant === r.participant }, `${personName(r.participant)}: ${r.text.slice(0, 60)}`)))) : null,
      d.source === 'amendment' ? field(t('prop_amends'), h('select', { id: base + '-of', value: String(d.proposal), onchange: (e) => edit({ proposal: e.target.value, text: list.find((p) => p.id === Number(e.target.value))?.text ?? '' }, true) },
        list.map((p) => h('option', { value: String(p.id), selected: Number(d.proposal) === p.id }, `#${p.id}: ${p.text.slice(0, 60)}`)))) : null,
      d.source === 'own' || d.source === 'amendment' ? field(t('prop_text'), h('textarea', { id: base + '-text', rows: 3, required: true, maxlength: 2000, value: d.source === 'amendment' && !drafts.has(key) ? (picked?.text ?? '') : d.text, oninput: (e) => edit({ text: e.target.value }) })) : null,
      actionButton(what, t('prop_put'), null, { primary: false, id: base + '-save' })));
}
