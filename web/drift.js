// A follow-up against its baseline (snapshot `baseline` and `drift`, worked out by the server
// from revealed rounds only): where each organisation stood then and stands now on the 2×2,
// with an arrow where it moved; the intended form then and now; how the aspects agreed before
// were re-checked; and the series of sessions, positions over time. On a closed session's
// page, the facilitator starts its follow-up here.
//
// Tests rely on: svg#drift (or the id given) with g.drift-org[data-org][data-before][data-now]
// [data-moved], and svg#series with g.series-org[data-org-name].

import { h, field, onSubmit, repaint, announce, api, storage, tokenKey, cofacKey, facLinkKey } from './dom.js';
import { t, txt, errText, getLang } from './i18n.js';
import { S, sid, authed } from './live.js';
import { orgName, formLabel, formDoc, aspectDoc, axisLabel, person } from './lookup.js';
import { s, PALETTE } from './matrix.js';
import { openable } from './widgets.js';

const FORMS = ['transactional', 'functional', 'entrepreneurial', 'exploratory'];
const VIEW = 520, X0 = 10, SIZE = 500, Q = SIZE / 2;

/** A form's quadrant as [column, row]: share to the right, innovate at the top. */
function cell(form) {
  const f = formDoc(form);
  return f ? [f.nature === 'share' ? 1 : 0, f.intent === 'innovate' ? 0 : 1] : null;
}

/** Where the `k`-th of `n` organisations in a form's quadrant sits: a grid that shrinks to fit
 *  however many there are. */
function slot(form, k, n) {
  const c = cell(form);
  if (!c) return null;
  const cols = Math.max(4, Math.ceil(Math.sqrt(n)));
  const step = Math.min(53, (Q - 50) / cols);
  return { x: X0 + c[0] * Q + 25 + step / 2 + (k % cols) * step, y: X0 + c[1] * Q + 55 + step / 2 + Math.floor(k / cols) * step };
}

/** Places a list of forms (one per organisation, null for none): each its slot in its quadrant. */
function placeAll(list) {
  const count = {}, seen = {};
  for (const f of list) if (f) count[f] = (count[f] || 0) + 1;
  return list.map((f) => {
    if (!f) return null;
    seen[f] = (seen[f] || 0) + 1;
    return slot(f, seen[f] - 1, count[f]);
  });
}

function plot(id, title, desc, ...content) {
  return s('svg', { id, class: 'matrix-svg drift-svg', role: 'img', viewBox: `0 0 ${VIEW} ${VIEW}`, 'aria-labelledby': `${id}-t ${id}-d` },
    s('title', { id: `${id}-t` }, title), s('desc', { id: `${id}-d` }, desc),
    s('defs', {}, s('marker', { id: `${id}-arrow`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      s('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#1a1d23', class: 'arrow-head' }))),
    FORMS.map((f) => {
      const [c, r] = cell(f) || [0, 0];
      return s('g', {}, s('rect', { class: `q q-bg-${f}`, x: X0 + c * Q, y: X0 + r * Q, width: Q, height: Q }),
        s('text', { class: 'q-label', x: X0 + c * Q + (c ? Q - 12 : 12), y: X0 + r * Q + 28, 'text-anchor': c ? 'end' : 'start' }, formLabel(f)));
    }),
    content);
}

const R = 20;
const dot = (p, i, filled) => {
  const [fill, ink] = PALETTE[i % PALETTE.length];
  return [s('circle', { cx: p.x, cy: p.y, r: R, fill: filled ? fill : '#ffffff', stroke: filled ? '#1a1d23' : fill, 'stroke-width': 3, 'stroke-dasharray': filled ? null : '5 3' }),
    s('text', { class: 'drift-num', x: p.x, y: p.y + 7, 'text-anchor': 'middle', fill: filled ? ink : '#1a1d23' }, String(i + 1))];
};

/** The line from one circle's edge to the other's, so that the arrow's head shows. */
function arrow(a, b, id) {
  const dx = b.x - a.x, dy = b.y - a.y;
  const len = Math.hypot(dx, dy) || 1;
  const [ux, uy] = [dx / len, dy / len];
  return s('line', { x1: a.x + ux * R, y1: a.y + uy * R, x2: b.x - ux * (R + 3), y2: b.y - uy * (R + 3), stroke: '#1a1d23', 'stroke-width': 3, 'marker-end': `url(#${id}-arrow)`, class: 'drift-arrow' });
}

/** The drift as a picture: a hollow circle where each organisation stood, a filled one where it
 *  stands now, an arrow between them where it moved. */
export function driftPicture(id = 'drift') {
  const d = S.drift;
  const desc = d.organisations.map((o) => orgLine(o)).join('; ');
  const before = placeAll(d.organisations.map((o) => o.before));
  const now = placeAll(d.organisations.map((o) => o.now));
  return plot(id, t('drift_title', { title: S.baseline.title }), desc,
    d.organisations.map((o, i) => {
      const a = before[i];
      const b = now[i];
      return s('g', { class: 'drift-org', 'data-org': o.organisation, 'data-before': o.before || '', 'data-now': o.now || '', 'data-moved': o.moved ? 'true' : null },
        s('title', {}, orgLine(o)),
        a && (!b || o.moved) ? dot(a, i, false) : null,
        a && b && o.moved ? arrow(a, b, id) : null,
        b ? dot(b, i, true) : null);
    }));
}

/** One organisation's drift in words. */
function orgLine(o) {
  const then = o.in_baseline ? (o.before ? formLabel(o.before) : t('drift_no_form')) : t('drift_new');
  const now = o.now ? formLabel(o.now) : t('drift_not_yet');
  const how = o.moved ? t('drift_moved_on', { axes: o.axes.map(axisLabel).join(', ') }) : o.before && o.now ? t('drift_same') : '';
  return `${orgName(o.organisation)}: ${then} → ${now}${how ? ` (${how})` : ''}`;
}

function legend() {
  return h('ol', { class: 'drift-legend' }, S.drift.organisations.map((o) => h('li', { 'data-org': o.organisation, class: o.moved ? 'moved' : null },
    orgLine(o), o.moved ? h('span', { class: 'flag' }, t('drift_moved')) : null)));
}

const verdictText = (v) => (v ? t('verdict_' + v) : t('verdict_none'));

/** The aspects agreed before, each with how it was re-checked. */
function rechecks() {
  const list = S.drift.aspects;
  if (!list.length) return null;
  return [h('h3', {}, t('recheck_title')),
    h('ul', { class: 'dlist recheck-list', id: 'recheck-list' }, list.map((r) => h('li', { 'data-aspect': r.aspect, 'data-verdict': r.verdict || '' },
      h('strong', {}, txt(aspectDoc(r.aspect)?.label)), S.tracks.length > 1 ? ` (${S.tracks[r.track]?.name})` : '', ': ',
      h('span', { class: 'flag' + (r.verdict === 'still' ? ' ok-flag' : '') }, verdictText(r.verdict)),
      r.no_longer.length ? h('span', { class: 'small' }, ' ', t('verdict_no_longer_by', { orgs: r.no_longer.map(orgName).join(', ') })) : null,
      r.changed.length ? h('span', { class: 'small' }, ' ', t('verdict_changed_by', { orgs: r.changed.map(orgName).join(', ') })) : null)))];
}

/** The partners that joined since: which earlier agreements each accepted or objected to. */
function entrants() {
  const list = S.drift.entrants || [];
  // Before the design there is nothing agreed to join yet.
  if (!list.length || !S.drift.aspects.length) return null;
  const names = (refs) => refs.map((r) => (S.tracks.length > 1 ? `${S.tracks[r.track]?.name} › ` : '') + txt(aspectDoc(r.aspect)?.label)).join(', ');
  return [h('h3', {}, t('entrants_title')),
    h('ul', { class: 'dlist', id: 'entrants-list' }, list.map((e) => h('li', { 'data-org': e.organisation },
      h('strong', {}, orgName(e.organisation)), ': ',
      t('entrant_line', { accepted: e.accepted.length, pending: e.pending.length }),
      e.objected.length ? h('span', { class: 'flag' }, t('entrant_objected', { aspects: names(e.objected) })) : null)))];
}

/** A diagnosis against the baseline: per aspect the form it had (or was agreed in) then, and
 *  the form its practice belongs to now. */
function profileMoves() {
  const list = S.drift.profile || [];
  if (!list.length) return null;
  return [h('h3', {}, t('profile_moves')),
    h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': t('profile_moves') },
      h('table', { class: 'profile', id: 'profile-moves' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('col_aspect')), h('th', { scope: 'col' }, t('then')), h('th', { scope: 'col' }, t('now')))),
        h('tbody', {}, list.map((p) => h('tr', { 'data-aspect': p.aspect, class: p.moved ? 'is-mixing' : null },
          h('th', { scope: 'row' }, txt(aspectDoc(p.aspect)?.label)),
          h('td', {}, p.before ? formLabel(p.before) : '—'),
          h('td', {}, p.now ? formLabel(p.now) : t('drift_not_yet'), p.moved ? h('span', { class: 'flag' }, t('drift_moved')) : null))))))];
}

/** The series of sessions: per organisation, its form in each, and as a picture. */
function series(board) {
  const points = [...S.baseline.series, { title: S.session.title, closed_at: S.closure?.at ?? null, organisations: S.drift.organisations.map((o) => ({ name: orgName(o.organisation), form: o.now })) }];
  const names = [...new Set(points.flatMap((p) => p.organisations.map((o) => o.name)))];
  const formIn = (p, name) => p.organisations.find((o) => o.name === name)?.form ?? null;
  const day = (p) => (p.closed_at ? new Date(p.closed_at).toLocaleDateString(getLang()) : t('series_now'));
  // Per session, each organisation's slot in the quadrant of its form then.
  const placed = points.map((p) => placeAll(names.map((n) => formIn(p, n))));
  const picture = plot('series', t('series_title'), names.map((n) => `${n}: ${points.map((p) => (formIn(p, n) ? formLabel(formIn(p, n)) : '—')).join(' → ')}`).join('; '),
    names.map((n, i) => {
      const at = placed.map((pl) => pl[i]).map((p, k) => p && { ...p, x: p.x + (k - (points.length - 1) / 2) * 24 });
      const [fill] = PALETTE[i % PALETTE.length];
      const known = at.filter(Boolean);
      return s('g', { class: 'series-org', 'data-org-name': n },
        known.length > 1 ? s('polyline', { points: known.map((p) => `${p.x},${p.y}`).join(' '), fill: 'none', stroke: fill, 'stroke-width': 3 }) : null,
        at.map((p, k) => (p ? [s('circle', { cx: p.x, cy: p.y, r: 11, fill, stroke: '#1a1d23', 'stroke-width': 1.5 }),
          s('text', { class: 'org-num', x: p.x, y: p.y + 4, 'text-anchor': 'middle', fill: PALETTE[i % PALETTE.length][1] }, String(k + 1))] : null)));
    }));
  const table = h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': t('series_title') },
    h('table', { class: 'profile series-table', id: 'series-table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('col_org')), points.map((p, k) => h('th', { scope: 'col' }, `${k + 1}. ${p.title} (${day(p)})`)))),
      h('tbody', {}, names.map((n) => h('tr', {}, h('th', { scope: 'row' }, n), points.map((p) => h('td', {}, formIn(p, n) ? formLabel(formIn(p, n)) : '—')))))));
  if (board) return picture;
  return h('details', { ...openable('series-d'), class: 'sub' }, h('summary', { id: 'series-d-s' }, t('series_title'), ` (${points.length})`),
    h('p', { class: 'hint' }, t('series_hint')), h('div', { class: 'drift-wrap' }, h('figure', { class: 'drift-figure' }, picture), table));
}

/** The baseline in one line: what this session follows up. */
export function baselineLine() {
  const b = S.baseline;
  return h('p', { class: 'note', id: 'baseline-line' }, t('follows_up', { title: b.title, day: new Date(b.closed_at).toLocaleDateString(getLang()) }));
}

/** The follow-up's panel on the session page: the drift, the re-check, the series. */
export function driftPanel() {
  if (!S.baseline || !S.drift) return null;
  const d = S.drift;
  return h('section', { class: 'card drift', id: 'drift-panel', 'aria-labelledby': 'drift-h' },
    h('h2', { id: 'drift-h' }, t('drift_title', { title: S.baseline.title })),
    baselineLine(),
    h('p', { class: 'big-ish', id: 'intended-drift' }, t('drift_intended', {
      before: d.intended.before ? formLabel(d.intended.before) : '—', now: d.intended.now ? formLabel(d.intended.now) : (d.revealed ? '—' : t('drift_not_yet')),
    })),
    !d.revealed && ['lobby', 'positioning'].includes(S.session.phase) ? h('p', { class: 'hint' }, t('drift_blind')) : null,
    h('div', { class: 'drift-wrap' }, h('figure', { class: 'drift-figure' }, driftPicture()), legend()),
    rechecks(),
    entrants(),
    profileMoves(),
    series(false));
}

/** The board's part: the picture and its legend, compact. */
export function driftBoard() {
  if (!S.baseline || !S.drift) return null;
  return h('div', { class: 'board-drift', id: 'board-drift' },
    h('h3', {}, t('drift_title', { title: S.baseline.title })),
    h('div', { class: 'drift-wrap' }, h('figure', { class: 'drift-figure' }, driftPicture('board-drift-svg')), legend()));
}

// ---------------------------------------------------------------- starting a follow-up

const next = { title: null, mode: null, key: '', busy: false, error: '' };
// Whether this server asks for its key to create a session (an operator's setting).
let keyRequired = null;

/** Facilitator, on a closed session: start its follow-up (same organisations, this record as
 *  the baseline). */
export function followUpPanel() {
  if (S.me.role !== 'facilitator' || S.session.phase !== 'closed') return null;
  if (keyRequired === null) {
    keyRequired = false;
    api('GET', '/api/server').then((s) => { keyRequired = Boolean(s.create_key_required); repaint(); }).catch(() => {});
  }
  // A title has at most 200 characters: the suffix must fit.
  const suffix = ` — ${t('follow_up_suffix')}`;
  const fallback = [...S.session.title].slice(0, 200 - suffix.length).join('') + suffix;
  const title = next.title ?? fallback;
  const mode = next.mode ?? S.session.mode;
  const submit = async () => {
    next.busy = true; next.error = ''; repaint();
    try {
      // What is typed now, not what was shown when the page was last drawn.
      const r = await authed('POST', '/api/sessions', {
        title: next.title ?? fallback, mode: next.mode ?? S.session.mode, facilitator_name: person(S.me.participant)?.name ?? 'Facilitator', follow_up: sid,
        ...(keyRequired ? { create_key: next.key } : {}),
      });
      if (r.cofacilitator_link) storage().set(cofacKey(r.session_id), r.cofacilitator_link);
      if (r.facilitator_link) storage().set(facLinkKey(r.session_id), r.facilitator_link);
      const url = new URL(r.facilitator_link, location.href);
      location.assign(storage().set(tokenKey(r.session_id), r.token) ? url.pathname : url.pathname + url.hash);
    } catch (e) {
      next.busy = false; next.error = errText(e); announce(next.error); repaint();
    }
  };
  return h('section', { class: 'card', id: 'follow-up', 'aria-labelledby': 'follow-up-h' },
    h('h2', { id: 'follow-up-h' }, t('follow_up')),
    h('p', {}, t('follow_up_intro')),
    h('form', { onsubmit: onSubmit(submit) },
      field(t('f_title'), h('input', { id: 'follow-up-title', required: true, maxlength: 200, value: title, oninput: (e) => { next.title = e.target.value; } })),
      field(t('f_mode'), h('select', { id: 'follow-up-mode', value: mode, onchange: (e) => { next.mode = e.target.value; } },
        h('option', { value: 'design', selected: mode === 'design' }, t('mode_design')),
        h('option', { value: 'diagnosis', selected: mode === 'diagnosis' }, t('mode_diagnosis')))),
      keyRequired ? field(t('f_create_key'), h('input', { id: 'follow-up-key', type: 'password', required: true, autocomplete: 'off', value: next.key, oninput: (e) => { next.key = e.target.value; } })) : null,
      next.error ? h('p', { class: 'error' }, next.error) : null,
      h('button', { type: 'submit', class: 'primary', id: 'btn-follow-up', disabled: next.busy }, next.busy ? t('creating') : t('follow_up_start'))));
}
