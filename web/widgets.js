// Controls the page parts share: a command's button that shows it pending, a <details> that
// remembers being opened, the choice of a form.

import { h } from './dom.js';
import { t } from './i18n.js';
import { busy } from './live.js';
import { forms, formLabel } from './lookup.js';

/** <details> id → open, kept across repaints. */
export const openState = new Map();

/** A button for a command (a submit button without `onclick`): says "sending…" while pending
 *  and ignores clicks meanwhile, yet stays focusable so a keyboard user keeps their place.
 *  `impossible` disables it for real. */
export function actionButton(what, label, onclick, { impossible = false, primary = !onclick, describedby, id } = {}) {
  const sending = busy(what);
  return h('button', {
    type: onclick ? 'button' : 'submit', id: id || 'btn-' + what.replace(/[^\w-]/g, '-'),
    class: primary ? 'primary' : null, disabled: impossible,
    'aria-disabled': sending ? 'true' : null, 'aria-describedby': describedby,
    onclick: onclick && (() => { if (!busy(what)) onclick(); }),
  }, sending ? `${label} — ${t('pending')}` : label);
}

/** <details> attributes that remember whether the person opened it. */
export function openable(id, byDefault = false) {
  return {
    id, open: openState.has(id) ? openState.get(id) : byDefault,
    ontoggle: (e) => openState.set(id, e.target.open),
  };
}

export function formSelect(id, value, onchange) {
  return h('select', { id, required: true, value, onchange: (e) => onchange(e.target.value) },
    h('option', { value: '' }, '—'), forms().map((f) => h('option', { value: f }, formLabel(f))));
}
