// What the record needs of the people in the room: each organisation's own goal and the joint
// goal (the article: collaboration is not a goal in itself), which organisations are advisors
// rather than partners, who takes up an open aspect and by when, and the record's time zone.

import { h, field, onSubmit, repaint } from './dom.js';
import { t } from './i18n.js';
import { S, command, busy, onSettled } from './live.js';
import { orgName, activeOrgs, reps, person } from './lookup.js';
import { actionButton, openable } from './widgets.js';

// Goal texts being typed, by organisation id ('' for the joint goal).
const goalDrafts = new Map();
onSettled((what) => { if (what.startsWith('goal:')) goalDrafts.delete(what.slice(5)); });

const shaping = () => ['lobby', 'positioning', 'alignment', 'design'].includes(S.session.phase);

function goalForm(org) {
  const key = org ?? '';
  const what = 'goal:' + key;
  const saved = org ? S.organisations.find((o) => o.id === org)?.goal ?? '' : S.session.joint_goal ?? '';
  const value = goalDrafts.has(key) ? goalDrafts.get(key) : saved;
  const id = 'goal-' + (org || 'joint');
  const args = () => {
    const a = { text: goalDrafts.get(key) ?? saved };
    if (org) a.organisation = org;
    return a;
  };
  return h('form', { class: 'goal-form', onsubmit: onSubmit(() => busy(what) || command(what, 'state_goal', args())) },
    field(org ? t('goal_own', { org: orgName(org) }) : t('goal_joint'),
      h('textarea', { id, rows: 2, maxlength: 2000, value, oninput: (e) => { goalDrafts.set(key, e.target.value); } })),
    actionButton(what, t('goal_save'), null, { primary: false, id: id + '-save' }));
}

/** The goals as stated, beside the positioning questions and in the lobby. */
export function goalsView() {
  const own = activeOrgs().filter((o) => o.goal && !o.advisor);
  if (!S.session.joint_goal && !own.length) return null;
  return h('section', { class: 'card goals', id: 'goals' }, h('h2', {}, t('goals')),
    S.session.joint_goal ? h('p', {}, h('strong', {}, t('goal_joint'), ': '), S.session.joint_goal) : null,
    own.length ? h('ul', {}, own.map((o) => h('li', {}, h('strong', {}, o.name), ': ', o.goal))) : null);
}

/** A representative states their organisation's goal while the collaboration is shaped. */
export function myGoalPanel() {
  const org = S.me.organisation;
  if (!org || !shaping()) return null;
  return h('section', { class: 'card' }, h('h2', {}, t('goal_yours')), h('p', { class: 'hint' }, t('goal_hint')), goalForm(org));
}

/** The facilitator writes down the joint goal and, where a partner said it aloud, theirs. */
export function goalsPanel() {
  if (!shaping()) return null;
  return h('details', { ...openable('goals-panel'), class: 'card' }, h('summary', { id: 'goals-panel-s' }, t('goals')),
    h('p', { class: 'hint' }, t('goal_hint')), goalForm(null),
    activeOrgs().map((o) => goalForm(o.id)));
}

/** Facilitator, before the answers count: which organisations are advisors, not partners. */
export function advisorsPanel() {
  if (!['lobby', 'positioning'].includes(S.session.phase)) return null;
  const orgs = activeOrgs();
  if (!orgs.length) return null;
  return h('details', { ...openable('advisors-panel'), class: 'card' }, h('summary', { id: 'advisors-panel-s' }, t('advisors')),
    h('p', { class: 'hint' }, t('advisors_hint')),
    orgs.map((o) => {
      const what = 'advisor:' + o.id;
      return h('div', { class: 'check' },
        h('input', { type: 'checkbox', id: 'advisor-' + o.id, checked: Boolean(o.advisor), 'aria-busy': busy(what) ? 'true' : null,
          onchange: (e) => command(what, 'set_advisor', { organisation: o.id, advisor: e.target.checked }) }),
        h('label', { for: 'advisor-' + o.id }, t('advisor_of', { org: o.name })));
    }));
}

/** The owner choices: every organisation, then every representative. */
function ownerOptions(selected) {
  return [
    h('option', { value: '' }, t('owner_none')),
    h('optgroup', { label: t('organisations') }, activeOrgs().map((o) => h('option', { value: 'o:' + o.id, selected: selected === 'o:' + o.id }, o.name))),
    h('optgroup', { label: t('people') }, reps().map((p) => h('option', { value: 'p:' + p.id, selected: selected === 'p:' + p.id }, `${p.name} (${orgName(p.organisation)})`))),
  ];
}

/** `o:<id>` / `p:<id>` → the protocol's owner object. */
export function ownerArg(v) {
  if (!v) return null;
  return v.startsWith('o:') ? { organisation: v.slice(2) } : { participant: v.slice(2) };
}

function ownerKey(owner) {
  if (!owner) return '';
  return owner.organisation ? 'o:' + owner.organisation : 'p:' + owner.participant;
}

export function ownerText(owner) {
  if (!owner) return '';
  if (owner.organisation) return orgName(owner.organisation);
  const p = person(owner.participant);
  return p ? `${p.name} (${orgName(p.organisation)})` : '?';
}

// Owner and due date being chosen, by `track:aspect`.
const itemDrafts = new Map();
onSettled((what) => { if (what.startsWith('item:')) itemDrafts.delete(what.slice(5)); });

/** Owner and due date fields, for parking or for an open aspect (`base` keeps ids apart). */
export function ownerFields(key, base, st) {
  const d = itemDrafts.get(key) || { owner: ownerKey(st.owner), due: st.due || '' };
  // Each change builds on the latest draft, so a date chosen first survives choosing an owner.
  const edit = (patch) => { itemDrafts.set(key, { ...(itemDrafts.get(key) || d), ...patch }); };
  return [
    field(t('owner'), h('select', { id: base + '-owner', value: d.owner, onchange: (e) => { edit({ owner: e.target.value }); repaint(); } }, ownerOptions(d.owner))),
    field(t('due'), h('input', { type: 'date', id: base + '-due', value: d.due, onchange: (e) => edit({ due: e.target.value }) })),
  ];
}

/** The owner and due date chosen for `key`, as command arguments. */
export function ownerArgs(key, st) {
  const d = itemDrafts.get(key) || { owner: ownerKey(st.owner), due: st.due || '' };
  return { owner: ownerArg(d.owner), due: d.due || null };
}

/** Facilitator: who takes up an aspect that is not agreed, and by when. */
export function openItemForm(ti, a, st) {
  const key = `${ti}:${a.id}`;
  const what = 'item:' + key;
  const base = `item-${ti}-${a.id}`;
  const now = st.owner || st.due ? t('owner_now', { who: ownerText(st.owner) || '—', due: st.due || '—' }) : null;
  return h('details', openable(base), h('summary', { id: base + '-s' }, t('owner_title'), now ? ` — ${now}` : ''),
    h('form', { onsubmit: onSubmit(() => busy(what) || command(what, 'assign_open_item', { track: ti, aspect: a.id, ...ownerArgs(key, st) })) },
      ownerFields(key, base, st),
      actionButton(what, t('owner_save'), null, { primary: false, id: base + '-save' })));
}

/** Facilitator: the time zone the record shows its times in. */
export function timeZoneField() {
  const what = 'settings:time_zone';
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const current = S.session.time_zone || 'UTC';
  const list = zones.includes(current) ? zones : [current, ...zones];
  return field(t('time_zone'), h('select', { id: 'set-time_zone', value: current, 'aria-busy': busy(what) ? 'true' : null,
    onchange: (e) => command(what, 'update_settings', { time_zone: e.target.value }) },
  list.map((z) => h('option', { value: z, selected: z === current }, z))));
}
