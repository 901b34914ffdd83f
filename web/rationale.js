// A partner asked for a rationale: after a reveal, those whose position differs from the
// others' get a short question — why? — and what they answer appears to everyone. Others are
// not asked, and see no such question.

import { h, field, onSubmit } from './dom.js';
import { t, txt } from './i18n.js';
import { S, command, busy, onSettled } from './live.js';
import { axisLabel, poleLabel, aspectDoc } from './lookup.js';
import { actionButton } from './widgets.js';
import { reasonsOn } from './report.js';

const drafts = new Map(); // subject key → text

const keyOf = (about) => (about.kind === 'axis' ? `axis:${about.axis}:${about.round}` : `aspect:${about.track}:${about.aspect}:${about.round}`);

onSettled((what) => { if (what.startsWith('rationale:')) drafts.delete(what.slice(10)); });

/** This person's own requests, of one kind (`axis` or `aspect`), optionally for one aspect. */
export function myRequests(kind, track, aspect) {
  return (S.rationale_requests || []).filter((q) => q.participant === S.me.participant && q.about.kind === kind
    && (aspect == null || (q.about.track === track && q.about.aspect === aspect)));
}

/** What the person chose on the subject, in words, to ask about it. */
function chosen(about) {
  if (about.kind === 'axis') {
    const round = S.rounds.find((r) => r.round === about.round);
    const mine = round?.positions.find((p) => p.participant === S.me.participant)?.[about.axis];
    return mine ? poleLabel(about.axis, mine.pole) : axisLabel(about.axis);
  }
  return txt(aspectDoc(about.aspect)?.label) || about.aspect;
}

/** The question and its answer box, for one request of this person's. */
export function rationaleForm(q) {
  const key = keyOf(q.about);
  const what = 'rationale:' + key;
  const id = 'rationale-' + key.replace(/[^\w-]/g, '-');
  const given = reasonsOn((a) => keyOf(a) === key).given.find((r) => r.participant === S.me.participant);
  const text = drafts.get(key) ?? given?.text ?? '';
  const args = q.about.kind === 'axis'
    ? { axis: q.about.axis }
    : { track: q.about.track, aspect: q.about.aspect };
  const submit = () => { if (!busy(what)) command(what, 'give_rationale', { ...args, text: drafts.get(key) ?? text }); };
  const question = q.about.kind === 'axis'
    ? t('asked_axis', { pole: chosen(q.about), axis: axisLabel(q.about.axis) })
    : t('asked_aspect', { aspect: chosen(q.about) });
  return h('form', { class: 'asked', id, onsubmit: onSubmit(submit), 'aria-labelledby': id + '-h' },
    h('h3', { id: id + '-h' }, t('asked_title')),
    h('p', {}, question),
    field(t('asked_label'), h('textarea', {
      id: id + '-text', rows: 3, maxlength: 2000, required: true, value: text,
      oninput: (e) => drafts.set(key, e.target.value),
    })),
    given && !drafts.has(key) ? h('p', { class: 'ok' }, t('asked_given')) : null,
    actionButton(what, given ? t('asked_update') : t('asked_send'), null, { id: id + '-send' }));
}
