// The model's 2×2 as a picture: an inline SVG with every organisation (and each of its
// representatives) placed by their answers and strengths, each dot labelled. An organisation
// whose people stand in different forms is drawn as split: one marker in each of those forms,
// joined by a dashed line, never one circle at their average.
//
// The SVG is built with createElementNS; names reach it only as text nodes. Browser tests rely
// on: svg#matrix (or the id given), rect#q-{form} for the quadrants, g.org-marker[data-org]
// [data-form] (one per form an organisation stands in, data-split="true" when it is split) and
// g.rep-marker[data-participant][data-form], each with a <circle> in its form's quadrant; an
// advisor's marker has data-advisor="true" and says so under its name.

import { t, cap } from './i18n.js';
import { personName, orgName, formLabel, axisLabel, poleLabel, formOf, poles, forms, formDoc } from './lookup.js';
import { S } from './live.js';

const NS = 'http://www.w3.org/2000/svg';

/** An SVG element; children as for h() (strings become text nodes). */
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v != null && v !== false) el.setAttribute(k, String(v));
  el.append(...children.flat(Infinity).filter((c) => c != null && c !== false)
    .map((c) => (c instanceof Node ? c : document.createTextNode(String(c)))));
  return el;
}

// ---------------------------------------------------------------- geometry

// The plot is a square; x runs from exchange (left) to share (right), y from improve (bottom)
// to innovate (top). Positions are computed in units of half the square, centre (0, 0), y up.
const X0 = 12, Y0 = 40, SIZE = 456, HALF = SIZE / 2;
const CX = X0 + HALF, CY = Y0 + HALF;
const VIEW_W = X0 * 2 + SIZE, VIEW_H = Y0 + SIZE + 78;
// An axis's first pole in the model (improve, exchange) is the low side, its second the high.
const sign = (axis, pole) => (poles(axis).indexOf(pole) === 0 ? -1 : 1);
/** The distance from the centre for a strength (1–3): it grows with how sure someone is. */
const reach = (strength) => (Math.min(3, Math.max(1, strength || 1)) / 3) * 0.78;
/** A form's quadrant as [x sign, y sign], from its poles in the model; null for no form. */
const quadrantOf = (form) => {
  const f = formDoc(form);
  return f ? [sign('nature', f.nature), sign('intent', f.intent)] : null;
};
const ORG_R = 15, REP_R = 6.5;
const sx = (x) => CX + x * HALF;
const sy = (y) => CY - y * HALF;
/** Beyond this many people the dots carry no names (the legend has them). */
const MAX_REP_LABELS = 30;

/** Colour-blind-safe colours (Okabe–Ito), each with the ink that reads on it. */
export const PALETTE = [
  ['#0072B2', '#ffffff'], ['#D55E00', '#000000'], ['#009E73', '#000000'], ['#CC79A7', '#000000'],
  ['#E69F00', '#000000'], ['#56B4E9', '#000000'], ['#F0E442', '#000000'], ['#000000', '#ffffff'],
];

/** A representative's point: pole sign × strength on each axis they answered, 0 on the other. */
function point(p) {
  return {
    x: p.nature ? sign('nature', p.nature.pole) * reach(p.nature.strength) : 0,
    y: p.intent ? sign('intent', p.intent.pole) * reach(p.intent.strength) : 0,
  };
}

/**
 * Keeps a marker where it belongs after being pushed: inside its form's quadrant (clear of the
 * centre lines and the edges), or on the axis line of the one question answered.
 */
function clamper(form, onlyAxis, r) {
  const m = (r + 3) / HALF;
  const lim = 1 - m;
  const limY = 1 - (r + 34) / HALF; // clear of the quadrants' names along the top and bottom
  const inRange = (v, l) => Math.max(-l, Math.min(l, v));
  const q = quadrantOf(form);
  return (p) => {
    p.x = inRange(p.x, lim); p.y = inRange(p.y, limY);
    if (q) {
      p.x = q[0] > 0 ? Math.max(m, p.x) : Math.min(-m, p.x);
      p.y = q[1] > 0 ? Math.max(m, p.y) : Math.min(-m, p.y);
    } else if (onlyAxis === 'intent') {
      p.x = 0;
    } else if (onlyAxis === 'nature') {
      p.y = 0;
    }
  };
}

/** Pushes markers apart until none overlap (or it gives up), each kept in its place. */
function spread(items, minDist) {
  for (let round = 0; round < 200; round += 1) {
    let moved = false;
    for (let i = 0; i < items.length; i += 1) {
      for (let j = i + 1; j < items.length; j += 1) {
        const a = items[i], b = items[j];
        let dx = b.x - a.x, dy = b.y - a.y;
        let d = Math.hypot(dx, dy);
        if (d >= minDist) continue;
        if (d < 1e-6) { const angle = (i + j) * 2.39996; dx = Math.cos(angle); dy = Math.sin(angle); d = 1; }
        const push = (minDist - Math.hypot(b.x - a.x, b.y - a.y)) / 2 + 1e-4;
        a.x -= (dx / d) * push; a.y -= (dy / d) * push;
        b.x += (dx / d) * push; b.y += (dy / d) * push;
        moved = true;
      }
    }
    for (const it of items) it.clamp(it);
    if (!moved) break;
  }
}

const mean = (pts) => ({
  x: pts.reduce((n, p) => n + p.x, 0) / pts.length,
  y: pts.reduce((n, p) => n + p.y, 0) / pts.length,
});

/** The axis a partial position answered, or null (both or neither). */
const onlyAxis = (p) => (p.intent && !p.nature ? 'intent' : p.nature && !p.intent ? 'nature' : null);

const shorten = (name, max = 24) => (name.length > max ? name.slice(0, max - 1) + '…' : name);
const firstName = (name) => shorten(name.split(/\s+/)[0] || name, 12);

// ---------------------------------------------------------------- who is where

/**
 * The organisations to draw for a round: every one with a position, plus any whose
 * representatives were expected but did not answer. Each with its colour, its form ('split' or
 * 'none' when it has no single form), its representatives' markers, and its pieces: one marker
 * per form it stands in (several when split), each in its form's quadrant.
 */
export function placements(r) {
  const byOrg = new Map();
  const order = S.organisations.map((o) => o.id);
  const entry = (id) => {
    if (!byOrg.has(id)) {
      const rep = r.report.organisations.find((o) => o.organisation === id);
      byOrg.set(id, { id, rep, positions: [], missing: [] });
    }
    return byOrg.get(id);
  };
  for (const p of r.positions) entry(p.organisation).positions.push(p);
  for (const pid of r.missing) {
    const org = S.participants.find((x) => x.id === pid)?.organisation;
    if (org && !r.positions.some((p) => p.participant === pid)) entry(org).missing.push(pid);
  }
  const orgs = [...byOrg.values()].sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  for (const o of orgs) {
    const i = Math.max(0, order.indexOf(o.id));
    [o.fill, o.ink] = PALETTE[i % PALETTE.length];
    o.number = i + 1;
    o.advisor = Boolean(S.organisations.find((x) => x.id === o.id)?.advisor);
    o.form = o.rep?.split ? 'split' : o.rep?.form || 'none';
    o.reps = o.positions.map((p) => {
      const form = formOf(p);
      const partial = form ? null : onlyAxis(p);
      return { p, form: form || 'none', partial, ...point(p), clamp: clamper(form, partial, REP_R) };
    });
    o.pieces = pieces(o);
  }
  const all = orgs.flatMap((o) => o.pieces);
  spread(all, (ORG_R * 2 + 12) / HALF);
  spread(orgs.flatMap((o) => o.reps), (REP_R * 2 + 3) / HALF);
  placeLabels(orgs);
  return orgs;
}

/** An organisation's markers: one per form its people stand in. */
function pieces(o) {
  const placed = o.reps.filter((x) => x.form !== 'none');
  const formsHere = [...new Set(placed.map((x) => x.form))];
  if (formsHere.length > 1) {
    const out = formsHere.map((f) => {
      const reps = placed.filter((x) => x.form === f);
      return { o, form: f, split: true, reps, ...mean(reps), clamp: clamper(f, null, ORG_R + 4) };
    });
    out[0].reps.push(...o.reps.filter((x) => x.form === 'none'));
    return out;
  }
  // One place: the mean of its placed people (so that it lies in its form's quadrant), else of
  // those who answered one question, else the centre.
  const at = placed.length ? mean(placed) : o.reps.length ? mean(o.reps) : { x: 0, y: 0 };
  const axes = new Set(o.reps.map((x) => x.partial));
  const partialAxis = !placed.length && axes.size === 1 ? [...axes][0] : null;
  const form = formsHere[0] || 'none';
  return [{ o, form, split: false, reps: o.reps, ...at, clamp: clamper(formsHere[0], partialAxis, ORG_R + 4) }];
}

export const formText = (o) => {
  if (o.form === 'split') return `${t('split_inside')} (${o.rep.forms.map(formLabel).join(', ')})`;
  if (o.form === 'none') return o.positions.length ? t('not_placed') : t('no_answer');
  return formLabel(o.form);
};

export const answerText = (p) => [['intent', p.intent], ['nature', p.nature]]
  .map(([axis, a]) => (a ? `${poleLabel(axis, a.pole)} ${a.strength}/3` : `${axisLabel(axis)} —`)).join(', ');

// ---------------------------------------------------------------- labels that do not collide

const LINE = 18;
const box = (x, y, w, h) => ({ x, y, w, h });
const overlap = (a, b) => Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x))
  * Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
/** Roughly how wide a line of bold text is (there is no layout yet to measure). */
const textWidth = (line, size) => line.length * size * 0.6;

/** Of the spots around a point, the one whose box covers the least of the obstacles. */
function bestSpot(obstacles, cx, cy, r, w, hgt) {
  const d = r * 0.75;
  const spots = [
    [cx - w / 2, cy + r, 'middle'], [cx - w / 2, cy - r - hgt, 'middle'],
    [cx + r + 2, cy - hgt / 2, 'start'], [cx - r - 2 - w, cy - hgt / 2, 'end'],
    [cx + d, cy + d, 'start'], [cx - d - w, cy + d, 'end'], [cx + d, cy - d - hgt, 'start'], [cx - d - w, cy - d - hgt, 'end'],
  ];
  let best = null;
  spots.forEach(([bx, by, anchor], i) => {
    const b = box(Math.max(X0 + 2, Math.min(X0 + SIZE - 2 - w, bx)), Math.max(Y0 + 2, Math.min(Y0 + SIZE - 2 - hgt, by)), w, hgt);
    const cost = obstacles.reduce((n, [ob, weight]) => n + overlap(b, ob) * weight, 0) + i * 2;
    if (!best || cost < best.cost) best = { b, anchor, cost };
  });
  obstacles.push([best.b, 3]);
  const { b, anchor } = best;
  return { x: anchor === 'middle' ? b.x + b.w / 2 : anchor === 'start' ? b.x : b.x + b.w, y: b.y + hgt - 4, top: b.y, anchor };
}

/**
 * Gives every marker's name a place next to it: the organisations' first, then (when there are
 * not too many) each person's first name, where they cover the least of everything else.
 */
function placeLabels(orgs) {
  const obstacles = [];
  for (const f of forms()) {
    const [qx, qy] = quadrantOf(f);
    const w = textWidth(formLabel(f), 19) + 4;
    obstacles.push([box(qx < 0 ? X0 + 8 : X0 + SIZE - 8 - w, qy > 0 ? Y0 + 6 : Y0 + SIZE - 32, w, 26), 3]);
  }
  const allPieces = orgs.flatMap((o) => o.pieces);
  for (const pc of allPieces) {
    const r = ORG_R + (pc.split ? 6 : 0);
    obstacles.push([box(sx(pc.x) - r, sy(pc.y) - r, 2 * r, 2 * r), 4]);
  }
  const reps = orgs.flatMap((o) => o.reps);
  for (const x of reps) obstacles.push([box(sx(x.x) - REP_R, sy(x.y) - REP_R, 2 * REP_R, 2 * REP_R), 2]);
  for (const pc of allPieces) {
    const o = pc.o;
    const name = shorten(orgName(o.id));
    // An advisor is drawn like anyone, and says it does not count.
    const advisor = o.advisor;
    const flag = [pc.split ? t('split_inside') : o.form === 'none' ? (o.positions.length ? t('one_answer') : t('no_answer')) : null,
      advisor ? t('advisor_flag') : null].filter(Boolean).join(' · ') || null;
    pc.lines = flag ? [name, flag] : [name];
    const w = Math.max(textWidth(name, 17), flag ? textWidth(flag, 14) : 0);
    const hgt = pc.lines.length * LINE + 2;
    const spot = bestSpot(obstacles, sx(pc.x), sy(pc.y), ORG_R + (pc.split ? 6 : 0) + 3, w, hgt);
    pc.label = { ...spot, y: spot.top + 15 };
  }
  if (reps.length > MAX_REP_LABELS) return;
  for (const pc of allPieces) {
    for (const x of pc.reps) {
      const name = firstName(personName(x.p.participant));
      // A person under their organisation's marker is labelled beside the marker.
      const under = Math.hypot(sx(x.x) - sx(pc.x), sy(x.y) - sy(pc.y)) < ORG_R;
      const r = under ? ORG_R + (pc.split ? 6 : 0) + 3 : REP_R + 2;
      x.label = { text: name, ...bestSpot(obstacles, sx(x.x), sy(x.y), r, textWidth(name, 13), 15) };
    }
  }
}

// ---------------------------------------------------------------- the picture

function quadrant(form, agreed) {
  const [qx, qy] = quadrantOf(form);
  const x = qx < 0 ? X0 : CX, y = qy > 0 ? Y0 : CY;
  const left = qx < 0;
  const top = qy > 0;
  return s('g', { class: 'quadrant' },
    s('rect', {
      id: 'q-' + form, class: `q q-bg-${form}` + (agreed ? ' q-agreed' : ''), x, y, width: HALF, height: HALF,
      'data-form': form,
    }),
    s('text', {
      class: 'q-label', x: left ? x + 10 : x + HALF - 10, y: top ? y + 26 : y + HALF - 12,
      'text-anchor': left ? 'start' : 'end',
    }, (agreed ? '✓ ' : '') + formLabel(form)));
}

function axisLabels() {
  const pole = (axis, p) => cap(poleLabel(axis, p));
  const below = Y0 + SIZE + 26;
  return s('g', { class: 'axis-labels' },
    s('text', { x: CX, y: Y0 - 14, 'text-anchor': 'middle' }, '▲ ', pole('intent', 'innovate')),
    s('text', { x: CX, y: below, 'text-anchor': 'middle' }, '▼ ', pole('intent', 'improve')),
    s('text', { x: X0, y: below, 'text-anchor': 'start' }, '◀ ', pole('nature', 'exchange')),
    s('text', { x: X0 + SIZE, y: below, 'text-anchor': 'end' }, pole('nature', 'share'), ' ▶'),
    s('text', { class: 'axis-names', x: CX, y: below + 30, 'text-anchor': 'middle' },
      t('matrix_axes', { v: axisLabel('intent'), h: axisLabel('nature') })));
}

function repMarker(o, x) {
  const hollow = x.form === 'none';
  return s('g', { class: 'rep-marker', 'data-participant': x.p.participant, 'data-form': x.form, 'data-org': o.id },
    s('title', {}, `${personName(x.p.participant)} (${orgName(o.id)}): ${x.form === 'none' ? t('not_placed') : formLabel(x.form)} — ${answerText(x.p)}`),
    s('circle', {
      cx: sx(x.x).toFixed(1), cy: sy(x.y).toFixed(1), r: REP_R,
      fill: hollow ? '#ffffff' : o.fill, stroke: hollow ? o.fill : '#1a1d23', 'stroke-width': hollow ? 3 : 1.5,
    }),
    x.label ? s('text', { class: 'rep-label', x: x.label.x.toFixed(1), y: x.label.y.toFixed(1), 'text-anchor': x.label.anchor }, x.label.text) : null);
}

function orgMarker(pc) {
  const o = pc.o;
  const cx = sx(pc.x), cy = sy(pc.y);
  const unplaced = pc.form === 'none';
  const { x, y, anchor } = pc.label;
  return s('g', {
    class: 'org-marker' + (pc.split ? ' split' : '') + (unplaced ? ' unplaced' : ''),
    'data-org': o.id, 'data-form': pc.form, 'data-split': pc.split ? 'true' : null,
    'data-advisor': o.advisor ? 'true' : null,
  },
  s('title', {}, `${orgName(o.id)}: ${pc.split ? `${t('split_inside')}, ${formLabel(pc.form)}` : formText(o)}`),
  pc.split ? s('circle', { class: 'split-ring', cx: cx.toFixed(1), cy: cy.toFixed(1), r: ORG_R + 6, fill: 'none', stroke: '#1a1d23', 'stroke-width': 2, 'stroke-dasharray': '5 3' }) : null,
  s('circle', {
    cx: cx.toFixed(1), cy: cy.toFixed(1), r: ORG_R, fill: o.fill, stroke: '#1a1d23',
    'stroke-width': unplaced ? 3 : 2, 'stroke-dasharray': unplaced ? '4 3' : null,
  }),
  s('text', { class: 'org-num', x: cx.toFixed(1), y: (cy + 5).toFixed(1), 'text-anchor': 'middle', fill: o.ink }, String(o.number)),
  s('text', { class: 'org-label', x: x.toFixed(1), y: y.toFixed(1), 'text-anchor': anchor },
    pc.lines.map((l, i) => s('tspan', { x: x.toFixed(1), dy: i ? LINE : 0, class: i ? 'org-flag' : null }, l))));
}

/** The 2×2 for a round, with its markers; `id` names the picture (tests and links use it). */
export function matrixSvg(r, orgs, id = 'matrix') {
  const agreed = r.report.agreed;
  const summary = orgs.map((o) => `${orgName(o.id)}: ${formText(o)}`).join('; ');
  const desc = [summary, agreed ? t('agreed_on', { form: formLabel(agreed) }) : t('no_agreement')].filter(Boolean).join('. ');
  const line = (a, b, attrs) => s('line', { x1: sx(a.x).toFixed(1), y1: sy(a.y).toFixed(1), x2: sx(b.x).toFixed(1), y2: sy(b.y).toFixed(1), ...attrs });
  return s('svg', {
    id, class: 'matrix-svg', role: 'img', viewBox: `0 0 ${VIEW_W} ${VIEW_H}`,
    'aria-labelledby': `${id}-title ${id}-desc`, xmlns: NS,
  },
  s('title', { id: `${id}-title` }, t('matrix_caption', { n: r.round })),
  s('desc', { id: `${id}-desc` }, desc),
  ['transactional', 'functional', 'entrepreneurial', 'exploratory'].map((f) => quadrant(f, agreed === f)),
  s('rect', { class: 'plot-frame', x: X0, y: Y0, width: SIZE, height: SIZE, fill: 'none' }),
  s('line', { class: 'axis-line', x1: CX, y1: Y0, x2: CX, y2: Y0 + SIZE }),
  s('line', { class: 'axis-line', x1: X0, y1: CY, x2: X0 + SIZE, y2: CY }),
  axisLabels(),
  // Lines from each marker to its people, and between the pieces of a split organisation.
  s('g', { class: 'ties', 'aria-hidden': 'true' },
    orgs.flatMap((o) => o.pieces.flatMap((pc) => pc.reps.map((x) => line(pc, x, { stroke: o.fill, 'stroke-width': 2, 'stroke-opacity': 0.75 })))),
    orgs.flatMap((o) => o.pieces.slice(1).map((pc) => line(o.pieces[0], pc, { class: 'split-tie', stroke: '#1a1d23', 'stroke-width': 2, 'stroke-dasharray': '6 4' })))),
  s('g', { class: 'reps' }, orgs.flatMap((o) => o.reps.map((x) => repMarker(o, x)))),
  s('g', { class: 'orgs' }, orgs.flatMap((o) => o.pieces.map(orgMarker))));
}

/** A small copy of an organisation's marker for the legend. */
export const swatch = (o) => s('svg', { class: 'swatch', viewBox: '0 0 30 30', width: 30, height: 30, 'aria-hidden': 'true', focusable: 'false' },
  s('circle', { cx: 15, cy: 15, r: 12, fill: o.fill, stroke: '#1a1d23', 'stroke-width': 2, 'stroke-dasharray': o.form === 'none' || o.form === 'split' ? '4 3' : null }),
  s('text', { x: 15, y: 20, 'text-anchor': 'middle', class: 'org-num', fill: o.ink }, String(o.number)));
