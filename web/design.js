// The design phase: per track, the 13 aspects in the model's three clusters. Representatives
// respond blind (accept the proposal, take another form's principle, or write their own);
// the facilitator reveals, then records the agreed text, reopens or parks. In review and
// closed the same board is shown read-only.

import { h, field, onSubmit, repaint } from './dom.js';
import { t, txt } from './i18n.js';
import { S, model, command, busy, onSettled } from './live.js';
import { personName, orgName, orgNames, formLabel, forms, reps, inTrack, aspectList, aspectDoc } from './lookup.js';
import { actionButton, confirmButton, openable, openState } from './widgets.js';
import { isFocus, focusButton, notesAbout, noteItem, stepLabel } from './tools.js';
import { reasonsView } from './report.js';
import { ownerFields, ownerArgs, openItemForm, ownerText } from './aims.js';
import { proposalsView } from './proposals.js';

// What the person is choosing or typing, per `${track}:${aspect}`, kept across repaints until
// the server has the saved value.
const responseDrafts = new Map(); // {pick: 'accept' | 'form:<id>' | 'own', text, comment}
const agreeDrafts = new Map();    // {pick: 'proposal' | 'r<i>' | 'own', text}
const parkDrafts = new Map();     // reason
let shownTrack = 0;
let lastFocus;                    // the focus last followed, as JSON

onSettled((what) => {
  const [kind, ti, aspect] = what.split(':');
  const key = `${ti}:${aspect}`;
  if (kind === 'respond') responseDrafts.delete(key);
  if (kind === 'agree') agreeDrafts.delete(key);
  if (kind === 'park') parkDrafts.delete(key);
});

const principle = (a, form) => txt(a.principles[form]);
/** In a follow-up, the baseline's agreement on an aspect: its proposal instead of the principle. */
export const carriedOf = (tr, aspect) => (tr.carried || []).find((c) => c.aspect === aspect) || null;
/** An aspect's proposal: the earlier agreement, or the principle of the track's form. */
const proposalText = (tr, a) => carriedOf(tr, a.id)?.text ?? principle(a, tr.form);
/** How a carried aspect was re-checked, once revealed. */
const verdictOf = (ti, aspect) => S.drift?.aspects.find((r) => r.track === ti && r.aspect === aspect)?.verdict ?? null;
/** Whether the viewer's organisation joined a follow-up new: it joins what was agreed. */
const entrant = () => Boolean(S.drift?.organisations.some((o) => o.organisation === S.me.organisation && !o.in_baseline));
const proposalLabel = (tr, a) => (carriedOf(tr, a.id) ? t('agreed_before', { title: S.baseline?.title ?? '' }) : t('proposal', { form: formLabel(tr.form) }));
const stateOf = (tr, aspect) => tr.aspects.find((x) => x.aspect === aspect);
const flag = (text, cls = '') => h('span', { class: 'flag ' + cls }, text);
const anchor = (step) => (step.aspect ? `asp-${step.track ?? 0}-${step.aspect}`
  : step.cluster ? `cl-${step.track ?? 0}-${step.cluster}` : `track-${step.track ?? 0}`);

/** Shows a step: its track, its aspect opened; `scroll` brings it into view after the paint. */
function show(step, scroll) {
  if (step.track != null && step.track < S.tracks.length) shownTrack = step.track;
  const target = anchor(step);
  if (step.aspect) {
    openState.set(target, true);
    const shown = document.getElementById(target); // paint() reads the open state from it
    if (shown) shown.open = true;
  }
  if (scroll) requestAnimationFrame(() => document.getElementById(target)?.scrollIntoView({ block: 'start' }));
}

/** A new focus is followed once: shown and, unless the person is typing, scrolled to. */
function followFocus() {
  const key = JSON.stringify(S.focus ?? null);
  if (key === lastFocus) return;
  lastFocus = key;
  if (!S.focus) return;
  const a = document.activeElement;
  show(S.focus, !(a && /^(INPUT|TEXTAREA|SELECT)$/.test(a.tagName)));
}

/** Goes to a step on request (the focus banner's link), with the keyboard focus on it. */
export function goTo(step) {
  show(step, true);
  repaint();
  document.getElementById(anchor(step) + (step.aspect ? '-s' : ''))?.focus({ preventScroll: true });
}

/** The banner at the top: where the facilitator points everyone. */
export function focusBanner(fac) {
  if (!S.focus || !['design', 'review'].includes(S.session.phase)) return null;
  const f = S.focus;
  const n = f.aspect ? aspectList().findIndex(([, a]) => a.id === f.aspect) + 1 : 0;
  return h('div', { class: 'focus-banner', id: 'focus-banner' },
    h('span', {}, n ? h('span', { class: 'aspect-n' }, t('aspect_n', { n, m: aspectList().length }), ' · ') : null,
      t('focus_now'), ' ', h('button', { type: 'button', class: 'link', id: 'focus-go', onclick: () => goTo(f) }, stepLabel(f))),
    fac ? actionButton('focus', t('focus_clear'), () => command('focus', 'focus', {}), { id: 'focus-clear' }) : null);
}

/** An objection stays in sight while the aspects it reopened are still to be dealt with. */
export function objectionsOpen() {
  const open = S.objections.filter((o) => o.aspects.some((r) => {
    const st = S.tracks[r.track]?.aspects.find((x) => x.aspect === r.aspect);
    return st && (st.status === 'open' || st.status === 'revealed');
  }));
  if (!open.length || S.session.phase !== 'design') return null;
  return h('section', { class: 'card warn-box objections-open', id: 'objections-open' },
    h('h2', {}, t('objections_open')),
    open.map((o) => h('div', { class: 'sub' },
      h('p', {}, h('strong', {}, orgName(o.organisation)), ': ', h('span', { class: 'quote' }, o.reason)),
      h('p', { class: 'small' }, t('objection_reopened', {
        aspects: o.aspects.map((r) => {
          const st = S.tracks[r.track]?.aspects.find((x) => x.aspect === r.aspect);
          return `${txt(aspectDoc(r.aspect)?.label) || r.aspect} (${t('status_' + (st?.status || 'open'))})`;
        }).join(', '),
      })))));
}

function counts(aspects) {
  const n = { open: 0, revealed: 0, agreed: 0, parked: 0 };
  for (const a of aspects) n[a.status] += 1;
  return n;
}

const progressText = (tr) => t('design_progress', counts(tr.aspects));

// ---------------------------------------------------------------- the board

/** The tracks and their aspects; `editable` in the design phase, read-only afterwards. */
export function designPanel(fac, editable) {
  if (!S.tracks.length) return null;
  if (!model) return h('section', { class: 'card' }, h('p', { class: 'muted' }, t('loading')));
  followFocus();
  if (shownTrack >= S.tracks.length) shownTrack = 0;
  const ti = shownTrack;
  const tr = S.tracks[ti];
  const mine = !fac && inTrack(tr, S.me.organisation);
  const aim = model.forms.find((f) => f.id === tr.form)?.aim;
  const tabs = S.tracks.length > 1 ? h('div', { class: 'tabs', role: 'group', 'aria-label': t('tracks') },
    S.tracks.map((x, i) => h('button', {
      type: 'button', id: 'tab-' + i, 'aria-pressed': String(i === ti),
      class: isFocus({ track: i }) ? 'focused' : null, onclick: () => { shownTrack = i; repaint(); },
    }, h('strong', {}, x.name), ` — ${formLabel(x.form)}`, h('span', { class: 'small' }, progressText(x))))) : null;
  // A partner's phone shows the aspect in focus first, where the next thing to do is.
  const now = !fac && editable && S.focus?.aspect && (S.focus.track ?? 0) === ti ? S.focus.aspect : null;
  const nowCluster = now && model.clusters.find((c) => c.aspects.some((a) => a.id === now));
  const nowCard = nowCluster ? h('section', { class: 'card now', id: 'now', 'aria-labelledby': 'now-h' },
    h('h2', { id: 'now-h' }, t('now_title')),
    aspectView(fac, editable, ti, tr, nowCluster, nowCluster.aspects.find((a) => a.id === now))) : null;
  return [nowCard, tabs, h('section', { class: 'card design' + (isFocus({ track: ti }) ? ' focused' : ''), id: 'track-' + ti },
    h('h2', {}, S.tracks.length > 1 ? t('design_track', { name: tr.name }) : t('design')),
    h('p', { class: 'form-tag' }, t('track_form', { form: formLabel(tr.form) })),
    aim ? h('p', { class: 'hint' }, `${txt(aim.intent)}. ${txt(aim.nature)}.`) : null,
    tr.organisations.length ? h('p', { class: 'hint' }, t('track_orgs', { orgs: orgNames(tr.organisations) })) : null,
    h('p', { class: 'big-ish' }, progressText(tr)),
    editable && !fac ? h('p', { class: 'note' }, mine ? t('design_blind_note') : t('not_in_track')) : null,
    editable && !fac && mine && tr.carried?.length && entrant() ? h('p', { class: 'note', id: 'entrant-note' }, t('entrant_note', { title: S.baseline?.title ?? '' })) : null,
    editable && fac ? h('p', { class: 'hint' }, t('design_fac_note')) : null,
    editable && fac ? h('div', { class: 'actions' }, focusButton({ track: ti }, 'focus-track-' + ti)) : null,
    model.clusters.map((c) => clusterView(fac, editable, ti, tr, c, now)))];
}

function clusterView(fac, editable, ti, tr, c, skip) {
  const step = { track: ti, cluster: c.id };
  const revealable = c.aspects.some((a) => {
    const st = stateOf(tr, a.id);
    return st.status === 'open' && st.responded.length > 0;
  });
  const what = `reveal:${ti}:${c.id}`;
  return h('section', { class: 'cluster' + (isFocus(step) ? ' focused' : ''), id: anchor(step) },
    h('h3', {}, txt(c.label), isFocus(step) ? flag(t('focus'), 'focus-flag') : null),
    h('p', { class: 'hint' }, txt(c.question)),
    editable && fac ? h('div', { class: 'actions' },
      actionButton(what, t('reveal_cluster'), () => command(what, 'reveal_aspects', { track: ti, cluster: c.id }), { impossible: !revealable, id: `btn-reveal-${ti}-${c.id}` }),
      focusButton(step, `focus-${ti}-${c.id}`)) : null,
    c.aspects.map((a) => (a.id === skip
      ? h('p', { class: 'hint in-focus' }, t('in_focus_above', { aspect: txt(a.label) }))
      : aspectView(fac, editable, ti, tr, c, a))));
}

function aspectView(fac, editable, ti, tr, c, a) {
  const st = stateOf(tr, a.id);
  const step = { track: ti, cluster: c.id, aspect: a.id };
  const id = anchor(step);
  const focused = isFocus(step);
  // The reveal of the current round; after a reopen the earlier ones are history.
  const last = st.reveals[st.reveals.length - 1];
  const current = last && last.round === st.round ? last : null;
  const earlier = st.reveals.filter((r) => r !== current);
  const expected = reps().filter((p) => inTrack(tr, p.organisation));
  const mine = !fac && inTrack(tr, S.me.organisation);
  const notes = notesAbout(step);
  const n = aspectList().findIndex(([, x]) => x.id === a.id) + 1;
  return h('details', { ...openable(id, focused), class: `aspect st-${st.status}` + (focused ? ' focused' : '') },
    h('summary', { id: id + '-s' },
      h('span', { class: 'aspect-n' }, t('aspect_n_short', { n, m: aspectList().length })), ' ',
      h('span', { class: 'aspect-label' }, txt(a.label)), ' ',
      h('span', { class: `status st-${st.status}` }, t('status_' + st.status)),
      editable && st.status === 'open' ? h('span', { class: 'small' }, ' ', t('responded_count', { n: st.responded.length, m: expected.length })) : null,
      editable && !fac && st.status === 'open' && st.my_response ? h('span', { class: 'small' }, ' · ', t('you_responded')) : null,
      current?.disagreement && st.status === 'revealed' ? flag(t('disagreement')) : null,
      current?.mixing.length ? flag(t('mixing')) : null,
      verdictOf(ti, a.id) ? flag(t('verdict_' + verdictOf(ti, a.id)), verdictOf(ti, a.id) === 'still' ? 'ok-flag' : '') : null,
      focused ? flag(t('focus'), 'focus-flag') : null),
    h('p', { class: 'question-text' }, txt(a.question)),
    h('div', { class: 'proposal' + (carriedOf(tr, a.id) ? ' carried' : '') }, h('p', { class: 'small' }, proposalLabel(tr, a)), h('p', {}, proposalText(tr, a))),
    outcome(st, tr),
    editable && st.status === 'open' ? respondedLine(st, expected) : null,
    current ? revealView(current, tr, { track: ti, aspect: a.id }) : null,
    earlier.length ? h('details', openable(id + '-earlier'), h('summary', { id: id + '-earlier-s' }, t('earlier_rounds', { n: earlier.length })),
      earlier.map((r) => revealView(r, tr, { track: ti, aspect: a.id }))) : null,
    editable ? proposalsView(ti, tr, a, st, fac, current?.responses || []) : null,
    editable && mine && st.status === 'open' ? responseForm(ti, tr, a, st) : null,
    editable && fac ? facilitatorControls(ti, tr, a, st, step, current) : null,
    notes.length ? [h('h4', {}, t('notes')), h('ol', { class: 'notes' }, notes.map(noteItem))] : null);
}

function outcome(st, tr) {
  if (st.status === 'agreed' && st.agreement) {
    const ag = st.agreement;
    return h('div', { class: 'outcome ok-box' },
      h('p', { class: 'small' }, t('agreed_label')),
      h('p', { class: 'agreed-text' }, ag.text),
      h('p', { class: 'small' }, ag.matches || ag.resembles ? t(ag.matches ? 'matches_form' : 'resembles_form', { form: formLabel(ag.matches || ag.resembles) }) : t('matches_none'),
        (ag.matches || ag.resembles) && (ag.matches || ag.resembles) !== tr.form ? flag(t('mixing')) : null),
      ag.dissenting.length ? h('p', { class: 'small' }, t('dissent', { orgs: orgNames(ag.dissenting) })) : null);
  }
  const owed = st.owner || st.due ? h('p', { class: 'small owner-line' }, t('owner_now', { who: ownerText(st.owner) || '—', due: st.due || '—' })) : null;
  if (st.status === 'parked') {
    return h('div', { class: 'outcome warn-box' }, h('p', { class: 'small' }, t('parked_label')), h('p', { class: 'quote' }, st.parked ?? ''), owed);
  }
  if (owed) return owed;
  if (st.status === 'open' && st.round > 1) return h('p', { class: 'hint' }, t('reopened', { n: st.round }));
  return null;
}

/** Who responded and who not yet, in the order people joined (never what they responded). */
function respondedLine(st, expected) {
  const names = (list) => list.map((p) => p.name).join(', ');
  const done = expected.filter((p) => st.responded.includes(p.id));
  const waiting = expected.filter((p) => !st.responded.includes(p.id));
  return h('p', { class: 'hint' },
    done.length ? t('responded_who', { names: names(done) }) : t('responded_none'),
    waiting.length ? ` · ${t('waiting_for', { names: names(waiting) })}` : '');
}

function choiceLabel(r, carried) {
  const c = r.response.choice;
  if (c.kind === 'no_longer') return t('choice_no_longer_short');
  if (c.kind === 'accept') return carried ? t('verdict_still') : t('choice_accept_short');
  if (c.kind === 'other_form') return t('choice_other_short', { form: formLabel(c.form) });
  return r.form ? t('choice_own_matches', { form: formLabel(r.form) }) : t('choice_own_short');
}

/** One reveal of an aspect: every response as a card (text, choice, comment), the flags, and
 *  the reasons given by those who were asked. */
export function revealView(rv, tr, where) {
  const onThis = (x) => x.kind === 'aspect' && x.track === where.track && x.aspect === where.aspect && x.round === rv.round;
  return h('div', { class: 'reveal' },
    h('h4', {}, t('reveal_round', { n: rv.round }),
      rv.disagreement ? flag(t('disagreement')) : flag(t('all_same'), 'ok-flag'),
      rv.mixing.length ? flag(t('mixing')) : null),
    h('ul', { class: 'cards' }, rv.responses.map((r) => h('li', { class: 'response-card' + (r.form && r.form !== tr.form ? ' mixed' : '') },
      h('p', { class: 'card-head' }, h('strong', {}, personName(r.participant)), ' · ', orgName(r.organisation),
        h('span', { class: 'tag' }, choiceLabel(r, carriedOf(tr, where.aspect)))),
      r.text ? h('p', { class: 'response-text' }, r.text) : null,
      r.response.comment ? h('p', { class: 'motivation' }, r.response.comment) : null))),
    rv.mixing.length ? h('ul', { class: 'mixing' }, rv.mixing.map((m) => h('li', {}, t('mixing_line', {
      person: personName(m.participant), org: orgName(m.organisation),
      chosen: formLabel(m.chosen_form), track: formLabel(m.track_form),
    })))) : null,
    reasonsView(onThis));
}

/** What revealing an aspect would show, for the facilitator alone: who chose alike, not what
 *  they wrote. */
export function aspectPreview(p, tr) {
  const groups = [...new Set(p.responses.map((r) => r.group))];
  const what = (r) => (r.choice === 'no_longer' ? t('choice_no_longer_short') : r.choice === 'accept' ? t('choice_accept_short')
    : r.choice === 'other_form' ? t('choice_other_short', { form: formLabel(r.form) })
      : r.form ? t('choice_own_matches', { form: formLabel(r.form) }) : t('choice_own_short'));
  return h('section', { class: 'preview', id: 'aspect-preview' },
    h('h3', {}, t('preview_title')),
    h('p', { class: 'note' }, t('preview_private')),
    h('p', { class: p.disagreement ? 'warn' : 'ok' }, p.disagreement ? t('preview_groups', { n: groups.length }) : t('preview_same')),
    h('ul', { class: 'plain' }, groups.map((g) => h('li', {},
      h('strong', {}, what(p.responses.find((r) => r.group === g))), ': ',
      p.responses.filter((r) => r.group === g).map((r) => `${personName(r.participant)} (${orgName(r.organisation)})`).join(', ')))),
    p.mixing.length ? h('p', { class: 'hint' }, t('mixing'), ': ', p.mixing.map((m) => personName(m.participant)).join(', '), ` (${formLabel(tr.form)})`) : null);
}

// ---------------------------------------------------------------- a representative's response

function savedLabel(saved) {
  const c = saved.choice;
  if (c.kind === 'no_longer') return t('choice_no_longer_short');
  if (c.kind === 'accept') return t('choice_accept_short');
  if (c.kind === 'other_form') return t('choice_other_short', { form: formLabel(c.form) });
  return t('choice_own_short');
}

function responseForm(ti, tr, a, st) {
  const key = `${ti}:${a.id}`;
  const what = 'respond:' + key;
  const saved = st.my_response;
  const c = saved?.choice;
  const savedPick = !c ? '' : c.kind === 'accept' || c.kind === 'no_longer' ? c.kind : c.kind === 'other_form' ? 'form:' + c.form : 'own';
  const d = responseDrafts.get(key) || { pick: savedPick, text: c?.text ?? '', comment: saved?.comment ?? '' };
  const edit = (patch, again) => { responseDrafts.set(key, { ...(responseDrafts.get(key) || d), ...patch }); if (again) repaint(); };
  const submit = () => {
    const r = responseDrafts.get(key) || d;
    if (!r.pick || busy(what)) return;
    const args = { track: ti, aspect: a.id };
    if (r.pick === 'accept' || r.pick === 'no_longer') args.choice = r.pick;
    else if (r.pick === 'own') Object.assign(args, { choice: 'own', text: r.text });
    else Object.assign(args, { choice: 'other_form', form: r.pick.slice(5) });
    if (r.comment.trim()) args.comment = r.comment;
    command(what, 'respond', args);
  };
  // In a follow-up the earlier agreement is the proposal: "still as agreed"; the track's own
  // principle becomes one of the other choices, and "no longer true" is one more.
  const carried = carriedOf(tr, a.id);
  // A later entrant accepts the others' agreement or objects to it with another text.
  const joining = carried && entrant();
  const options = [
    ['accept', joining ? t('choice_join') : carried ? t('choice_still') : t('choice_accept'), proposalText(tr, a)],
    // A form whose principle is the earlier agreement itself is not another choice.
    ...forms().filter((f) => (carried ? carried.text !== a.principles[f]?.[S.session.language] : f !== tr.form))
      .map((f) => ['form:' + f, t('choice_other', { form: formLabel(f) }), principle(a, f)]),
    ['own', t('choice_own'), null],
    ...(carried && !joining ? [['no_longer', t('choice_no_longer'), t('choice_no_longer_desc')]] : []),
  ];
  const base = `resp-${ti}-${a.id}`;
  let state = saved ? t('saved_response', { what: savedLabel(saved) }) : t('not_responded');
  if (responseDrafts.has(key) && !busy(what)) state += ' ' + t('unsaved');
  return h('form', { class: 'question', onsubmit: onSubmit(submit) },
    h('fieldset', {}, h('legend', {}, t('your_response')),
      options.map(([v, label, text]) => {
        const oid = `${base}-${v.replace(':', '-')}`;
        return h('div', { class: 'choice' },
          h('input', { type: 'radio', name: base, id: oid, value: v, required: true, checked: d.pick === v, onchange: () => edit({ pick: v }, true) }),
          h('label', { for: oid }, h('strong', {}, label), text ? h('span', { class: 'desc' }, text) : null));
      })),
    d.pick === 'own' ? field(t('own_text'), h('textarea', { id: base + '-text', rows: 3, required: true, maxlength: 2000, value: d.text, oninput: (e) => edit({ text: e.target.value }) })) : null,
    field(t('comment'), h('textarea', { id: base + '-comment', rows: 2, maxlength: 2000, value: d.comment, oninput: (e) => edit({ comment: e.target.value }) })),
    h('p', { class: 'status-line' }, state),
    h('div', { class: 'actions' },
      actionButton(what, t('save_response'), null, { impossible: !d.pick, id: base + '-save' }),
      saved ? actionButton('withdraw:' + key, t('withdraw_response'), () => {
        responseDrafts.delete(key);
        command('withdraw:' + key, 'withdraw_response', { track: ti, aspect: a.id });
      }, { id: base + '-withdraw' }) : null));
}

// ---------------------------------------------------------------- the facilitator's controls

function facilitatorControls(ti, tr, a, st, step, current) {
  const key = `${ti}:${a.id}`;
  const base = `fac-${ti}-${a.id}`;
  const args = { track: ti, aspect: a.id };
  return h('div', { class: 'fac-controls' },
    h('div', { class: 'actions' },
      st.status === 'open' ? actionButton('reveal:' + key, t('reveal_aspect'), () => command('reveal:' + key, 'reveal_aspects', args), { impossible: !st.responded.length, primary: true, id: base + '-reveal' }) : null,
      st.status !== 'open' ? actionButton('reopen:' + key, t('reopen'), () => command('reopen:' + key, 'reopen_aspect', args), { id: base + '-reopen', describedby: base + '-reopen-note' }) : null,
      focusButton(step, base + '-focus')),
    st.status !== 'open' ? h('p', { class: 'hint', id: base + '-reopen-note' }, t('reopen_note')) : null,
    st.status === 'revealed' || st.status === 'agreed' ? agreeForm(ti, tr, a, st, current) : null,
    st.status !== 'parked' ? parkForm(ti, a, st) : null,
    st.status !== 'agreed' ? openItemForm(ti, a, st) : null);
}

/** Recording what was agreed on a revealed aspect (`prefix` keeps ids apart when the form is
 *  shown twice: in the aspect and in the facilitator's next step). */
export function agreeForm(ti, tr, a, st, current, prefix = 'agree') {
  const key = `${ti}:${a.id}`;
  const what = 'agree:' + key;
  const base = `${prefix}-${ti}-${a.id}`;
  // The server's proposal is in the session's language; compare the revealed texts with that.
  // A follow-up's proposal is the earlier agreement, in whatever words it was agreed.
  const carried = carriedOf(tr, a.id);
  const proposal = carried ? carried.text : txt(a.principles[tr.form]);
  const sessionProposal = carried ? carried.text : a.principles[tr.form]?.[S.session.language] ?? proposal;
  const byText = new Map();
  for (const r of current?.responses || []) {
    if (r.text === sessionProposal || !r.text) continue; // "no longer true" has no text
    byText.set(r.text, [...new Set([...(byText.get(r.text) || []), r.organisation])]);
  }
  const texts = [...byText.keys()];
  const agreed = st.agreement?.text;
  // When everyone says the earlier agreement no longer holds, keeping it is not the default.
  const dropped = carried && current?.responses.length && current.responses.every((r) => r.response.choice.kind === 'no_longer');
  const initial = agreed == null && dropped ? { pick: 'own', text: '' }
    : agreed == null || agreed === sessionProposal ? { pick: 'proposal', text: '' }
    : texts.includes(agreed) ? { pick: 'r' + texts.indexOf(agreed), text: '' } : { pick: 'own', text: agreed };
  const d = agreeDrafts.get(key) || initial;
  const edit = (patch, again) => { agreeDrafts.set(key, { ...(agreeDrafts.get(key) || d), ...patch }); if (again) repaint(); };
  const submit = () => {
    const r = agreeDrafts.get(key) || d;
    if (busy(what)) return;
    const args = { track: ti, aspect: a.id };
    if (r.pick === 'own') {
      args.text = r.text;
      const res = r.resembles ?? st.agreement?.resembles ?? tr.form;
      if (res) args.resembles = res;
    }
    else if (r.pick !== 'proposal') args.text = texts[Number(r.pick.slice(1))];
    command(what, 'agree_aspect', args);
  };
  const options = [
    ['proposal', carried ? t('choice_still') : t('agree_proposal', { form: formLabel(tr.form) }), proposal],
    ...texts.map((x, i) => ['r' + i, t('agree_response', { orgs: orgNames(byText.get(x)) }), x]),
    ['own', t('agree_own'), null],
  ];
  // A later entrant that objects does not reopen what the others agreed by itself.
  const newcomers = new Set((S.drift?.organisations || []).filter((o) => !o.in_baseline).map((o) => o.organisation));
  const objecting = carried ? [...new Set((current?.responses || []).filter((r) => newcomers.has(r.organisation) && r.response.choice.kind !== 'accept').map((r) => r.organisation))] : [];
  const form = h('form', { class: 'sub', onsubmit: onSubmit(submit) },
    objecting.length ? h('p', { class: 'hint', id: base + '-entrant' }, t('entrant_keep', { orgs: orgNames(objecting), n: objecting.length })) : null,
    h('fieldset', {}, h('legend', {}, st.status === 'agreed' ? t('agree_change') : t('agree_title')),
      options.map(([v, label, text]) => h('div', { class: 'choice' },
        h('input', { type: 'radio', name: base, id: `${base}-${v}`, value: v, checked: d.pick === v, onchange: () => edit({ pick: v }, true) }),
        h('label', { for: `${base}-${v}` }, h('strong', {}, label), text ? h('span', { class: 'desc' }, text) : null)))),
    d.pick === 'own' ? field(t('agree_text'), h('textarea', { id: base + '-text', rows: 3, required: true, maxlength: 2000, value: d.text, oninput: (e) => edit({ text: e.target.value }) })) : null,
    // An own text belongs to the form it resembles; the facilitator judges which.
    d.pick === 'own' ? resemblesField(base, d.resembles ?? st.agreement?.resembles ?? tr.form, (v) => edit({ resembles: v })) : null,
    actionButton(what, t('agree'), null, { id: base + '-save' }));
  return st.status === 'agreed' ? h('details', openable(base + '-d'), h('summary', { id: base + '-d-s' }, t('agree_change')), form) : form;
}

/** The form an own text resembles, by the facilitator's judgement ('' for none of them). */
function resemblesField(base, value, onchange) {
  return field(t('agree_resembles'), h('select', { id: base + '-resembles', value, onchange: (e) => onchange(e.target.value) },
    h('option', { value: '' }, t('resembles_none')), forms().map((f) => h('option', { value: f, selected: value === f }, formLabel(f)))));
}

function parkForm(ti, a, st) {
  const key = `${ti}:${a.id}`;
  const what = 'park:' + key;
  const base = `park-${ti}-${a.id}`;
  const submit = () => busy(what) || command(what, 'park_aspect', { track: ti, aspect: a.id, reason: parkDrafts.get(key) ?? '', ...ownerArgs(key, st) });
  return h('details', openable(base), h('summary', { id: base + '-s' }, t('park')),
    h('form', { onsubmit: onSubmit(submit) },
      field(t('park_reason'), h('textarea', { id: base + '-reason', rows: 2, required: true, maxlength: 2000, value: parkDrafts.get(key) ?? '', oninput: (e) => parkDrafts.set(key, e.target.value) })),
      ownerFields(key, base, st),
      actionButton(what, t('park'), null, { primary: false, id: base + '-save' })));
}

// ---------------------------------------------------------------- on to the review

export function openReviewPanel() {
  const n = counts(S.tracks.flatMap((tr) => tr.aspects));
  const left = n.open + n.revealed;
  return h('section', { class: 'card' }, h('h2', {}, t('to_review')),
    h('p', {}, t('design_progress', n)),
    left ? h('p', { class: 'hint', id: 'review-note' }, t('review_partial')) : null,
    left ? confirmButton('open_review', t('open_review'), t('open_review_q', { n: left }), () => command('open_review', 'open_review'), { id: 'btn-open_review-2' })
      : actionButton('open_review', t('open_review'), () => command('open_review', 'open_review'), { primary: true, id: 'btn-open_review-2' }));
}

// ---------------------------------------------------------------- the board at a glance

/** How many aspects remain to discuss before the collaboration can really be organised: those
 *  not agreed (a contested earlier agreement stays open until agreed again), as the agenda. */
export const remaining = () => S.tracks.reduce((n, tr) => n + tr.aspects.filter((a) => a.status !== 'agreed').length, 0);

/** The line that says it, for the board and the facilitator. */
export function remainingLine(id, cls = 'big-ish') {
  if (!S.tracks.length) return null;
  const n = remaining();
  return h('p', { class: cls, id }, n ? t('remains_n', { n }) : t('remains_none'));
}

/** Whether an aspect mixes forms: a revealed choice or the agreed text belongs to another form. */
function mixes(tr, st) {
  const last = st.reveals[st.reveals.length - 1];
  const current = last && last.round === st.round ? last : null;
  const agreed = st.agreement && (st.agreement.matches || st.agreement.resembles);
  return Boolean(current?.mixing.length) || Boolean(agreed && agreed !== tr.form);
}

/** Facilitator: every track's 13 aspects as one compact grid, open / revealed / agreed /
 *  parked and mixing at a glance; each goes to its aspect below. */
export function glancePanel() {
  if (!model || !S.tracks.length) return null;
  return h('section', { class: 'card glance', 'aria-labelledby': 'glance-h' },
    h('h2', { id: 'glance-h' }, t('glance')),
    remainingLine('glance-remains'),
    h('p', { class: 'legend-line' }, ['open', 'revealed', 'agreed', 'parked'].map((x) => h('span', { class: `status st-${x}` }, t('status_' + x))),
      flag(t('mixing'))),
    S.tracks.map((tr, ti) => h('div', { class: 'glance-track' },
      h('h3', {}, S.tracks.length > 1 ? `${tr.name} — ${formLabel(tr.form)}` : formLabel(tr.form),
        h('span', { class: 'small' }, ' · ', progressText(tr))),
      model.clusters.map((c) => h('div', { class: 'glance-cluster' },
        h('h4', {}, txt(c.label)),
        h('ul', { class: 'chips' }, c.aspects.map((a) => {
          const st = stateOf(tr, a.id);
          const mixed = mixes(tr, st);
          const step = { track: ti, cluster: c.id, aspect: a.id };
          return h('li', {}, h('button', {
            type: 'button', id: `glance-${ti}-${a.id}`, class: `chip st-${st.status}` + (isFocus(step) ? ' focused' : ''),
            'data-status': st.status, 'data-mixing': mixed ? 'true' : null,
            onclick: () => goTo(step),
          }, h('span', { class: 'chip-label' }, txt(a.label)),
          h('span', { class: `status st-${st.status}` }, t('status_' + st.status)),
          mixed ? flag(t('mixing')) : null));
        })))))));
}
