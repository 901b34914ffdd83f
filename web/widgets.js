// Controls the page parts share: a command's button that shows it pending, a button that asks
// before an irreversible step, a <details> that remembers being opened, the choice of a form.

import { h, repaint } from './dom.js';
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

/** The steps being confirmed now (by `what`). */
const asking = new Set();

/**
 * A button for a step that cannot be undone: the first click asks, in place, with the
 * consequences in words and a button for each answer; the second does it. No browser dialog:
 * on a projector or a phone an in-page question reads better and keeps the context.
 */
export function confirmButton(what, label, question, onConfirm, { primary = false, danger = false, impossible = false, id, yes } = {}) {
  const base = id || 'btn-' + what.replace(/[^\w-]/g, '-');
  if (!asking.has(what)) {
    return actionButton(what, label, () => {
      asking.add(what);
      repaint();
      document.getElementById(base + '-yes')?.focus();
    }, { primary, impossible, id: base });
  }
  const close = () => { asking.delete(what); repaint(); document.getElementById(base)?.focus(); };
  return h('div', { class: 'confirm', role: 'group', 'aria-labelledby': base + '-q', id: base + '-confirm' },
    h('p', { class: 'confirm-q', id: base + '-q' }, question),
    h('div', { class: 'actions' },
      h('button', {
        type: 'button', id: base + '-yes', class: danger ? 'danger' : 'primary',
        onclick: () => { asking.delete(what); onConfirm(); },
      }, yes || label),
      h('button', { type: 'button', id: base + '-no', onclick: close }, t('cancel'))));
}
