// The page's building blocks: elements from plain data (text is always a text node, never
// HTML), storage that never throws, the JSON API, screen-reader announcements, and the one
// painter that rebuilds the page. Everything else builds on this module; it imports nothing.

/** localStorage that never throws (private modes and disabled storage). */
export function storage() {
  return {
    get: (k) => { try { return localStorage.getItem(k); } catch { return null; } },
    set: (k, v) => { try { localStorage.setItem(k, v); return true; } catch { return false; } },
    del: (k) => { try { localStorage.removeItem(k); } catch { /* nothing to do */ } },
  };
}

export const tokenKey = (sessionId) => 'grondvorm.token.' + sessionId;
/** A board link's token, apart from the person's own: one browser may hold both. */
export const boardKey = (sessionId) => 'grondvorm.board.' + sessionId;
/** Where the creator's device keeps the co-facilitator link (only the create answer has it). */
export const cofacKey = (sessionId) => 'grondvorm.cofacilitator.' + sessionId;
/** Where the creator's device keeps their own secret link, as the server gave it. */
export const facLinkKey = (sessionId) => 'grondvorm.facilitator.' + sessionId;

// Properties set as DOM properties rather than attributes (they reflect live state).
const PROPS = new Set(['value', 'checked', 'disabled', 'selected', 'hidden', 'open', 'readOnly', 'required']);

/**
 * Builds an element. `attrs`: `class`, `on<event>` handlers, DOM properties (PROPS) and plain
 * attributes; null/false values are skipped. Children: nodes, strings (as text), arrays, null.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  el.append(...children.flat(Infinity).filter((c) => c != null && c !== false)
    .map((c) => (c instanceof Node ? c : document.createTextNode(String(c)))));
  // After the children, so that a <select>'s value finds its options.
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (PROPS.has(k)) el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  return el;
}

/** A labelled field: the label, then the control, wired by id. */
export const field = (label, control) => h('div', { class: 'field' }, h('label', { for: control.id }, label), control);

/** A form's submit handler that stays on the page. */
export const onSubmit = (fn) => (e) => { e.preventDefault(); fn(); };

/**
 * Says `text` to screen readers. The page is rebuilt on every update, so messages go to a live
 * region outside the rebuilt part, once, instead of role="alert" elements that would repeat.
 * Errors interrupt (assertive); news such as a change of phase waits its turn (`polite`).
 */
export function announce(text, polite = false) {
  const live = document.getElementById(polite ? 'live-polite' : 'live');
  if (live) { live.textContent = ''; setTimeout(() => { live.textContent = text; }, 50); }
}

/** Calls the JSON API; throws an Error carrying the server's {code, message, field}. */
export async function api(method, path, body, token) {
  const headers = body ? { 'content-type': 'application/json' } : {};
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(path, {
    method,
    headers,
    body: body ? JSON.stringify(body) : undefined,
    cache: 'no-store',
  });
  let data = null;
  try { data = await res.json(); } catch { /* not JSON */ }
  if (!res.ok) {
    const e = data?.error || {};
    throw Object.assign(new Error(e.message || `HTTP ${res.status}`), { code: e.code, field: e.field });
  }
  return data;
}

let painter = () => {};

/** Makes `paint` the page's painter and paints. */
export function mount(paint) { painter = paint; repaint(); }

/**
 * Repaints the page from its state. The page is rebuilt from scratch each time (simple and
 * safe); the focused control is found again by id, with its caret, so that typing survives
 * an update arriving from the server.
 */
export function repaint() {
  const a = document.activeElement;
  const id = a && a !== document.body ? a.id : '';
  let sel = null;
  try { if (typeof a.selectionStart === 'number') sel = [a.selectionStart, a.selectionEnd]; } catch { /* no caret */ }
  painter();
  const again = id && document.getElementById(id);
  if (again && again !== a) {
    again.focus({ preventScroll: true });
    if (sel) try { again.setSelectionRange(...sel); } catch { /* no caret */ }
  }
}
