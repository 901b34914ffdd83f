// What a facilitator does with the session's secrets and data: the board for the projector
// and observers' links, a person's new link, the co-facilitator key, deleting the session.
// These go over HTTP with the facilitator's token, because their answers carry secrets that a
// WebSocket ack cannot; the server decides who may.

import { h, field, onSubmit, repaint, announce, storage, cofacKey } from './dom.js';
import { t, errText } from './i18n.js';
import { S, sid, authed, leave } from './live.js';
import { orgName, time } from './lookup.js';
import { openable, confirmButton } from './widgets.js';

const path = (rest) => `/api/sessions/${encodeURIComponent(sid)}${rest}`;

// Kept in this page's memory only: a new link is shown once, to hand on.
const issued = new Map(); // participant or board link id → link
let busyWith = '';
let problem = '';
let confirmTitle = '';
let observerLabel = '';

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

// ---------------------------------------------------------------- the board

/** Makes a board link and returns it. */
async function makeBoardLink(label) {
  const r = await authed('POST', path('/board-links'), { label });
  issued.set(r.observer_id, r.link);
  return r.link;
}

/**
 * "Open on the projector": a board link, opened in a window of its own to drag onto the
 * projector. The window is opened within the click (popup blockers allow that), then sent to the
 * new link; if the browser refuses a window, the link is shown to open by hand.
 */
export function openBoard() {
  const win = window.open('', 'grondvorm-board');
  run('board', async () => {
    try {
      const link = await makeBoardLink(t('projector'));
      if (win) win.location.href = link;
      announce(t('board_opened'));
    } catch (e) {
      win?.close();
      throw e;
    }
  });
}

/** The primary way to the projector, for the header of the facilitator's page. */
export const openBoardButton = (id = 'btn-open-board') => h('button', {
  type: 'button', id, class: 'projector-button',
  'aria-disabled': busyWith === 'board' ? 'true' : null, onclick: () => { if (!busyWith) openBoard(); },
}, busyWith === 'board' ? t('pending') : t('open_board'));

/** The board links: the projector's and observers', each revocable. */
export function boardLinksPanel() {
  if (S.session.phase === 'closed' && !S.board_links.length) return null;
  const active = S.board_links.filter((b) => !b.revoked);
  const open = S.session.phase !== 'closed';
  const make = () => run('observer', async () => {
    await makeBoardLink(observerLabel.trim() || t('observer'));
    observerLabel = '';
    announce(t('board_link_made'));
  });
  const revoke = (b) => run('revoke:' + b.id, async () => {
    await authed('DELETE', path(`/board-links/${encodeURIComponent(b.id)}`));
    issued.delete(b.id);
    announce(t('board_link_revoked', { label: b.label }));
  });
  return h('details', { ...openable('board-links'), class: 'card' },
    h('summary', { id: 'board-links-s' }, t('board_links'), active.length ? ` (${active.length})` : ''),
    h('p', { class: 'hint' }, t('board_links_note')),
    open ? h('div', { class: 'actions' }, openBoardButton('btn-open-board-2')) : null,
    active.length ? h('ul', { class: 'plain board-links' }, active.map((b) => h('li', { id: 'board-link-' + b.id },
      h('span', {}, h('strong', {}, b.label), ' ', h('span', { class: 'small' }, t('made_at', { time: time(b.created_at) }))),
      open ? confirmButton('revoke-board:' + b.id, t('revoke'), t('revoke_confirm', { label: b.label }), () => revoke(b),
        { id: 'btn-revoke-' + b.id, danger: true }) : null,
      issued.has(b.id) ? h('p', { class: 'link-text secret-link', id: 'board-url-' + b.id }, issued.get(b.id)) : null))) : null,
    open ? h('form', { class: 'inline-form', onsubmit: onSubmit(make) },
      field(t('observer_label'), h('input', {
        id: 'observer-label', maxlength: 80, value: observerLabel, placeholder: t('observer_placeholder'),
        oninput: (e) => { observerLabel = e.target.value; },
      })),
      h('button', { type: 'submit', id: 'btn-observer-link', 'aria-disabled': busyWith ? 'true' : null }, busyWith === 'observer' ? t('pending') : t('make_link'))) : null,
    problem ? h('p', { class: 'error' }, problem) : null);
}

// ---------------------------------------------------------------- people's links and the key

/** A new link for a person who lost theirs: their old link stops working at once. */
function reissue(p) {
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
      confirmButton('reissue:' + p.id, busyWith === 'reissue:' + p.id ? t('pending') : t('reissue', { name: p.name }),
        t('reissue_confirm', { name: p.name }), () => reissue(p), { id: 'btn-reissue-' + p.id }),
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
  const withdraw = () => run('key', async () => {
    await authed('DELETE', path('/facilitator-key'));
    storage().del(cofacKey(sid));
    announce(t('key_withdrawn'));
  });
  return h('div', { class: 'actions' },
    h('button', { type: 'button', id: 'btn-key-replace', onclick: replace }, t('key_replace')),
    confirmButton('key-withdraw', t('key_withdraw'), t('key_withdraw_confirm'), withdraw, { id: 'btn-key-withdraw', danger: true }));
}

// ---------------------------------------------------------------- deleting

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
