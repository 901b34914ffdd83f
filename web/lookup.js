// Looking things up in the session and the model: people, organisations, tracks, and the
// model's labels, poles and forms in the person's language.

import { S, model } from './live.js';
import { txt, cap, getLang } from './i18n.js';

export const person = (id) => S.participants.find((p) => p.id === id);
export const personName = (id) => person(id)?.name ?? '?';
export const orgName = (id) => S.organisations.find((o) => o.id === id)?.name ?? '?';
export const orgNames = (ids) => ids.map(orgName).join(', ');
// The model's own lists (GET /api/model), so that no page keeps a copy of them.
/** The four forms' ids, in the model's order. */
export const forms = () => model.forms.map((f) => f.id);
/** The poles of an axis, in the model's order. */
export const poles = (axis) => axisDoc(axis)?.poles.map((p) => p.id) ?? [];
/** The form at an intent pole and a nature pole: the model's 2×2. */
export const formAt = (intent, nature) => model.forms.find((f) => f.intent === intent && f.nature === nature)?.id ?? null;
export const clusterDoc = (c) => model?.clusters.find((x) => x.id === c);
export const aspectDoc = (a) => model?.clusters.flatMap((c) => c.aspects).find((x) => x.id === a);
export const formDoc = (f) => model?.forms.find((x) => x.id === f);
export const formLabel = (f) => txt(formDoc(f)?.label) || f || '—';
export const axisDoc = (a) => model?.axes.find((x) => x.id === a);
export const axisLabel = (a) => cap(txt(axisDoc(a)?.label) || a);
export const poleDoc = (a, p) => axisDoc(a)?.poles.find((x) => x.id === p);
export const poleLabel = (a, p) => cap(txt(poleDoc(a, p)?.label) || p);
export const formOf = (pos) => (pos.intent && pos.nature ? formAt(pos.intent.pole, pos.nature.pole) : null);
export const time = (at) => new Date(at).toLocaleTimeString(getLang(), { hour: '2-digit', minute: '2-digit' });
/** Representatives still in the session (not removed), in join order. */
export const reps = () => S.participants.filter((p) => p.role === 'representative' && !p.removed);
/** Organisations still on the list (not merged into another). */
export const activeOrgs = () => S.organisations.filter((o) => !o.merged_into);
/** Whether organisation `org` takes part in a track (no list means everyone). */
export const inTrack = (track, org) => !track.organisations.length || track.organisations.includes(org);
/** Organisations expected to approve: partners (not advisors) on the list, with a
 *  representative — as the server counts them. */
export const approvingOrgs = () => activeOrgs().filter((o) => !o.advisor && reps().some((p) => p.organisation === o.id));
/** The tracks an organisation takes part in, by index. */
export const tracksOf = (org) => S.tracks.map((tr, i) => (inTrack(tr, org) ? i : -1)).filter((i) => i >= 0);
/** The tracks an organisation approved in this review. */
export const approvedTracks = (org) => [...new Set(S.approvals.filter((a) => a.organisation === org).flatMap((a) => a.tracks))];
/** Whether an organisation approved everything it takes part in. */
export const hasApproved = (org) => S.approvals.some((a) => a.organisation === org) && tracksOf(org).every((i) => approvedTracks(org).includes(i));
/** How far the positioning round is: representatives, how many answered both, whether any answered. */
export function answerProgress() {
  // Nobody waits for an advisor's answer (as the server).
  const all = reps().filter((p) => !S.organisations.find((o) => o.id === p.organisation)?.advisor);
  const done = all.filter((p) => p.answered.intent && p.answered.nature).length;
  return { all: all.length, done, any: all.some((p) => p.answered.intent || p.answered.nature), missing: all.filter((p) => !(p.answered.intent && p.answered.nature)) };
}
/** The 13 aspects in the model's order, as [cluster, aspect] pairs. */
export const aspectList = () => (model ? model.clusters.flatMap((c) => c.aspects.map((a) => [c, a])) : []);
