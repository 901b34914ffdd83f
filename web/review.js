// The review and the closed session: the record (a draft until closed) for everyone to open
// and download, each organisation's approval or objection, and the facilitator's closing.

import { h, field, onSubmit, repaint, announce } from './dom.js';
import { t, txt, cap, errText } from './i18n.js';
import { S, sid, token, model, command, busy, onSettled } from './live.js';
import {
  personName, orgName, orgNames, time, inTrack, aspectDoc,
  approvingOrgs, tracksOf, approvedTracks, hasApproved,
} from './lookup.js';
import { actionButton, confirmButton, openable } from './widgets.js';

const drafts = { reason: '', aspects: new Set() }; // aspects: `${track}:${aspect}`
let recordBusy = '';  // which record button is fetching
let recordError = '';

onSettled((what) => {
  if (what === 'object') { drafts.reason = ''; drafts.aspects = new Set(); }
});

// ---------------------------------------------------------------- the record

/** Fetches the record with this person's token (it cannot go in a link: links get shared). */
async function fetchRecord(format, doc = 'record') {
  const res = await fetch(`/api/sessions/${encodeURIComponent(sid)}/${doc}?format=${format}`, {
    headers: { authorization: `Bearer ${token}` }, cache: 'no-store',
  });
  if (!res.ok) {
    let e = {};
    try { e = (await res.json()).error || {}; } catch { /* not JSON */ }
    throw Object.assign(new Error(e.message || `HTTP ${res.status}`), { code: e.code });
  }
  // The server names the file after the session's title and day.
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') || '')?.[1] || `grondvorm-${sid}.${format}`;
  return { blob: await res.blob(), name };
}

/** Opens the record in a new tab (`open`) or downloads it, from a Blob URL. */
async function getRecord(format, open, doc = 'record') {
  // The tab is opened within the click itself, so that a popup blocker lets it through.
  const tab = open ? window.open('', '_blank') : null;
  if (tab) tab.opener = null;
  recordBusy = doc + format + (open ? '-open' : '');
  recordError = '';
  repaint();
  try {
    const { blob, name } = await fetchRecord(format, doc);
    const url = URL.createObjectURL(blob);
    // A document at a Blob URL inherits this page's security policy; it allows the record's
    // own inline style by its hash, so the record keeps its layout.
    if (tab) {
      tab.location.href = url;
    } else {
      const a = h('a', { href: url, download: name, target: open ? '_blank' : null, rel: 'noopener' });
      document.body.append(a);
      a.click();
      a.remove();
    }
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  } catch (e) {
    tab?.close();
    recordError = errText(e);
    announce(recordError);
  }
  recordBusy = '';
  repaint();
}

function recordButton(format, open, label, doc = 'record') {
  const key = format + (open ? '-open' : '');
  return h('button', {
    type: 'button', id: `${doc}-${key}`, class: open ? 'primary' : null,
    'aria-disabled': recordBusy === doc + key ? 'true' : null,
    onclick: () => { if (!recordBusy) getRecord(format, open, doc); },
  }, recordBusy === doc + key ? `${label} — ${t('loading')}` : label);
}

/** The record's exports: a draft (design, review) or final (closed); `folded` among the
 *  facilitator's tools. Nothing to export before the first reveal. */
export function recordPanel(draft, folded = false) {
  if (S.session.phase === 'lobby' || S.session.phase === 'positioning') return null;
  const content = [
    h('p', { class: 'hint' }, draft ? t('record_draft_note') : t('record_final_note')),
    h('div', { class: 'actions' },
      recordButton('html', true, t('record_open')),
      recordButton('pdf', false, t('record_pdf')),
      recordButton('html', false, t('record_html')),
      recordButton('md', false, t('record_md')),
      recordButton('json', false, t('record_json'))),
    // The agenda of the next meeting: what remains to discuss, from this record.
    h('p', { class: 'hint', id: 'agenda-note' }, t('agenda_note')),
    h('div', { class: 'actions' },
      recordButton('html', true, t('agenda_open'), 'agenda'),
      recordButton('pdf', false, t('record_pdf'), 'agenda'),
      recordButton('md', false, t('record_md'), 'agenda')),
    recordError ? h('p', { class: 'error' }, recordError) : null];
  if (folded) return h('details', { ...openable('record-panel'), class: 'card' }, h('summary', { id: 'record-panel-s' }, t('draft_record')), content);
  return h('section', { class: 'card' }, h('h2', {}, draft ? t('draft_record') : t('record')), content);
}

// ---------------------------------------------------------------- approvals and objections

/** Organisations expected to approve: on the list, with a representative (as the server). */
const approvalOf = (org) => S.approvals.find((a) => a.organisation === org);

function approvalsList() {
  const orgs = approvingOrgs();
  return [h('h3', {}, t('approvals')),
    h('ul', { class: 'approvals' }, orgs.map((o) => {
      const a = approvalOf(o.id);
      const done = hasApproved(o.id);
      const part = a && !done ? ` (${approvedTracks(o.id).map((i) => S.tracks[i]?.name).join(', ')})` : '';
      return h('li', { class: done ? 'on' : 'off' },
        h('strong', {}, o.name), ': ',
        a ? t(done ? 'approved_by' : 'approved_part', { time: time(a.at), name: a.by ? personName(a.by) : '?' }) + part : t('not_approved_yet'));
    }))];
}

const aspectRefLabel = (r) => `${S.tracks.length > 1 ? `${S.tracks[r.track]?.name ?? '?'} › ` : ''}${txt(aspectDoc(r.aspect)?.label) || r.aspect}`;

function objectionsPanel() {
  if (!S.objections.length) return null;
  return h('section', { class: 'card' }, h('h2', {}, t('objections')),
    h('ol', { class: 'notes' }, S.objections.map((o) => h('li', {},
      h('span', { class: 'small' }, `${time(o.at)} · ${orgName(o.organisation)}${o.by ? ` (${personName(o.by)})` : ''}`),
      h('p', { class: 'quote' }, o.reason),
      o.aspects.length ? h('p', { class: 'small' }, t('objection_reopened', { aspects: o.aspects.map(aspectRefLabel).join(', ') })) : null))));
}

function objectForm() {
  const org = S.me.organisation;
  const submit = () => {
    if (busy('object')) return;
    const aspects = [...drafts.aspects].map((k) => {
      const [ti, aspect] = k.split(':');
      return { track: Number(ti), aspect };
    });
    command('object', 'object', { reason: drafts.reason, aspects });
  };
  // A diagnosis names its aspects as those of track 0.
  const pick = (ti, tr, a) => {
    const k = `${ti}:${a.id}`;
    const id = `obj-${ti}-${a.id}`;
    const status = (tr ? tr.aspects : S.diagnosis.aspects).find((x) => x.aspect === a.id)?.status;
    return h('div', { class: 'check' },
      h('input', { type: 'checkbox', id, checked: drafts.aspects.has(k), onchange: (e) => { if (e.target.checked) drafts.aspects.add(k); else drafts.aspects.delete(k); repaint(); } }),
      h('label', { for: id }, txt(a.label), ' ', h('span', { class: 'small' }, `(${t('status_' + status)})`)));
  };
  const n = drafts.aspects.size;
  return h('details', { ...openable('object'), class: 'sub' }, h('summary', { id: 'object-s' }, t('object')),
    h('form', { onsubmit: onSubmit(submit) },
      field(t('object_reason'), h('textarea', { id: 'object-reason', rows: 3, required: true, maxlength: 2000, value: drafts.reason, oninput: (e) => { drafts.reason = e.target.value; } })),
      model && S.diagnosis ? h('fieldset', { class: 'picks' }, h('legend', {}, t('object_aspects_diag')),
        model.clusters.map((c) => h('div', { class: 'pick-group' }, h('p', { class: 'small strong' }, txt(c.label)), c.aspects.map((a) => pick(0, null, a))))) : null,
      model ? S.tracks.map((tr, ti) => (inTrack(tr, org) ? h('fieldset', { class: 'picks' },
        h('legend', {}, S.tracks.length > 1 ? t('object_aspects_in', { name: tr.name }) : t('object_aspects')),
        model.clusters.map((c) => h('div', { class: 'pick-group' }, h('p', { class: 'small strong' }, txt(c.label)), c.aspects.map((a) => pick(ti, tr, a))))) : null)) : null,
      h('p', { class: n ? 'warn' : 'hint', id: 'object-note' }, n ? t(S.diagnosis ? 'object_reopens_diag' : 'object_reopens', { n }) : t('object_no_aspects')),
      actionButton('object', t('object_send'), null, { describedby: 'object-note' })));
}

function representativeControls() {
  const org = S.me.organisation;
  if (S.organisations.find((o) => o.id === org)?.advisor) return h('div', { class: 'sub' }, h('p', { class: 'hint', id: 'approve-advisor' }, t('advisor_no_approval')));
  const mine = approvalOf(org);
  const left = tracksOf(org).filter((i) => !approvedTracks(org).includes(i));
  // With several tracks a partner may approve one and keep another for later.
  const perTrack = S.tracks.length > 1 && left.length > 1 ? left.map((i) => confirmButton('approve:' + i, t('approve_track', { name: S.tracks[i].name }),
    t('approve_track_q', { org: orgName(org), name: S.tracks[i].name }), () => command('approve:' + i, 'approve', { track: i }), { id: 'btn-approve-' + i })) : [];
  return h('div', { class: 'sub' },
    hasApproved(org) ? h('p', { class: 'ok' }, t('you_approved', { time: time(mine.at), name: mine.by ? personName(mine.by) : '?' }))
      : [h('p', { class: 'hint', id: 'approve-note' }, t('approve_note')),
        h('div', { class: 'actions' }, confirmButton('approve', mine ? t('approve_rest') : t('approve'), t('approve_q', { org: orgName(org) }),
          () => command('approve', 'approve'), { primary: true, id: 'btn-approve' }), perTrack)],
    objectForm());
}

/** The review: the approvals so far, and for a representative their approval or objection
 *  (the facilitator closes from their next step). */
export function reviewPanel(fac) {
  return [h('section', { class: 'card' }, h('h2', { id: 'step-h', tabindex: -1 }, cap(t('phase_review'))),
    fac ? null : h('p', {}, t('review_rep')),
    approvalsList(),
    fac ? null : representativeControls()),
  recordPanel(true), objectionsPanel()];
}

export function closedPanel() {
  const cl = S.closure;
  return [h('section', { class: 'card' }, h('h2', { id: 'step-h', tabindex: -1 }, cap(t('phase_closed'))),
    cl ? h('p', { class: 'ok' }, t('closed_at', { time: time(cl.at), name: cl.by ? personName(cl.by) : '?' })) : null,
    cl?.forced ? h('p', { class: 'warn' }, t('closed_forced', { orgs: orgNames(cl.not_approved) })) : null,
    h('p', {}, t('closed_note')),
    approvalsList()),
  recordPanel(false), objectionsPanel()];
}
