// What a facilitator does with the session's secrets and data: a person's new link, the
// co-facilitator key, deleting the session. These go over HTTP with the facilitator's token,
// because their answers carry secrets that a WebSocket ack cannot; the server decides who may.

import { h, field, onSubmit, repaint, announce, storage, cofacKey } from './dom.js';
import { t, errText } from './i18n.js';
import { S, sid, authed, leave } from './live.js';
import { orgName } from './lookup.js';
import { openable } from './widgets.js';

const path = (rest) => `/api/sessions/${encodeURIComponent(sid)}${rest}`;

// Kept in this page's memory only: a new link is shown once, to hand to its person.
const issued = new Map(); // participant id → link
let busyWith = '';
let problem = '';
let confirmTitle = '';

async function run(what, fn) {
  if (busyWith) return;
  busyWith = what;
  problem = '';
  repaint();
  try {
    await fn();
  } catch (e) {
    problem = errText(e);
    announce(problem);
  }
  busyWith = '';
  repaint();
}

/** A new link for a person who lost theirs: their old link stops working at once. */
function reissue(p) {
  if (!confirm(t('reissue_confirm', { name: p.name }))) return;
  run('reissue:' + p.id, async () => {
    const r = await authed('POST', path(`/participants/${encodeURIComponent(p.id)}/link`));
    issued.set(p.id, r.link);
    announce(t('reissued', { name: p.name }));
  });
}

/** The people whose link can be given anew, with the links given in this page. */
export function linksPanel() {
  const people = S.participants.filter((p) => !p.removed && p.id !== S.me.participant);
  if (!people.length) return null;
  return h('div', { class: 'sub' }, h('h4', {}, t('reissue_title')),
    h('p', { class: 'hint' }, t('reissue_note')),
    h('ul', { class: 'plain' }, people.map((p) => h('li', {},
      h('span', {}, p.name, p.organisation ? ` (${orgName(p.organisation)})` : ''), ' ',
      h('button', {
        type: 'button', id: 'btn-reissue-' + p.id, 'aria-disabled': busyWith ? 'true' : null,
        onclick: () => reissue(p),
      }, busyWith === 'reissue:' + p.id ? t('pending') : t('reissue', { name: p.name })),
      issued.has(p.id) ? h('p', { class: 'link-text secret-link', id: 'reissued-' + p.id }, issued.get(p.id)) : null))),
    problem ? h('p', { class: 'error' }, problem) : null);
}

/** Replacing or withdrawing the co-facilitator key, below the link itself. */
export function keyControls() {
  const replace = () => run('key', async () => {
    const r = await authed('POST', path('/facilitator-key'));
    storage().set(cofacKey(sid), r.cofacilitator_link);
    announce(t('key_replaced'));
  });
  const withdraw = () => {
    if (!confirm(t('key_withdraw_confirm'))) return;
    run('key', async () => {
      await authed('DELETE', path('/facilitator-key'));
      storage().del(cofacKey(sid));
      announce(t('key_withdrawn'));
    });
  };
  return h('div', { class: 'actions' },
    h('button', { type: 'button', id: 'btn-key-replace', onclick: replace }, t('key_replace')),
    h('button', { type: 'button', id: 'btn-key-withdraw', onclick: withdraw }, t('key_withdraw')));
}

/** Deleting the session and all its data, confirmed by typing its title. */
export function deletePanel() {
  const matches = confirmTitle.trim() === S.session.title;
  const submit = () => {
    if (!matches) return;
    run('delete', async () => {
      await authed('DELETE', path(''), { confirm: confirmTitle });
      leave('session_deleted');
    });
  };
  return h('details', { ...openable('delete-panel'), class: 'card danger' },
    h('summary', { id: 'delete-panel-s' }, t('delete_title')),
    h('p', {}, t('delete_note')),
    h('form', { onsubmit: onSubmit(submit) },
      field(t('delete_type_title', { title: S.session.title }), h('input', {
        id: 'delete-confirm', autocomplete: 'off', value: confirmTitle,
        oninput: (e) => { confirmTitle = e.target.value; repaint(); },
      })),
      h('button', { type: 'submit', id: 'btn-delete', class: 'danger', disabled: !matches || busyWith === 'delete' },
        busyWith === 'delete' ? t('pending') : t('delete_button'))),
    problem && busyWith === '' && confirmTitle ? h('p', { class: 'error' }, problem) : null);
}
