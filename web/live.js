// The live connection to one session: one WebSocket, the session as this person may see it
// (the last snapshot, `S`), the commands in flight, and who is online. The page parts read
// these and send commands through `command`; they never talk to the socket themselves.
//
// Sync by changes: the hello asks for `patches`, so after the snapshot every event arrives as
// what it changed in this person's view, worked out by the server; the page applies it
// (patch.js) and never re-implements the server's rules. A patch that does not follow on the
// copy (a gap, or one that does not fit) makes it ask for a fresh snapshot.

import { api, repaint, storage, tokenKey, boardKey, announce } from './dom.js';
import { t, errText, setDefaultLang } from './i18n.js';
import { applyPatch } from './patch.js';

const removedKey = (id) => 'grondvorm.removed.' + id;
// An honest connection: the page pings every 2 s and the server answers at once, so 5 s of
// silence means the network is gone, even when the browser has not noticed yet.
const PING_EVERY = 2_000;
const LOST_AFTER = 5_000;
const MAX_BACKOFF = 15_000;

// Exported bindings are live: the other modules always see the current values.
export let sid = '', token = null;
export let S = null;     // the state of the last snapshot
export let model = null; // GET /api/model, for labels, questions and principles
let lastSeq = null;      // highest seq seen, for resuming
export let online = new Set();  // participant ids with a connection
export let stale = new Set();   // of them, those whose connections have gone quiet
export let conn = 'connecting'; // connecting | online | reconnecting | stopped
export let lostAt = 0;          // when the connection was lost (0 while online)
export let fatal = '';          // string key of the reason we stopped (no or bad token, removed)
let ws = null, attempts = 0, retryTimer = 0, lastHeard = 0, lastPing = 0;
let keyOf = tokenKey;        // where this page keeps its token (a board link has its own place)
/** The facilitator's last preview of a reveal ({id, preview}): shown on this device only. */
export let preview = null;
let snapshotInFlight = false, snapshotAgain = false;
export const pending = new Map(); // command id → {what, msg}: sent, neither acked nor refused yet
let waiting = [];            // [{seq, fn}]: run fn once a snapshot reaches seq
export let notices = [];     // server errors to show: [{code, message}]
let skew = 0;                // the server's clock minus this device's, from the welcome
let lastPhase = null;        // to announce a change of phase
/** The time by the server's clock (a device's clock may be off by minutes: the timer). */
export const now = () => Date.now() + skew;
const settledHooks = [];     // what each page part does once a command of its own is settled


/**
 * Connects to session `id` with the token from the link (kept on this device, and taken out of
 * the address bar) or the one kept earlier. The model is loaded first: every page part names
 * the poles and forms from it.
 */
export async function startLive(id, { board = false } = {}) {
  sid = id;
  // A board link opened in the facilitator's own browser must not replace their token.
  keyOf = board ? boardKey : tokenKey;
  const m = location.hash.match(/[#&]token=([^&]+)/);
  if (m) {
    token = decodeURIComponent(m[1]);
    storage().set(keyOf(sid), token);
    // The token must not stay in the address bar: screens are shared and addresses copied.
    history.replaceState(null, '', location.pathname + location.search);
  } else {
    token = storage().get(keyOf(sid));
  }
  // Pasting a personal link into this same page only changes the fragment: load it properly.
  addEventListener('hashchange', () => { if (/token=/.test(location.hash)) location.reload(); });
  // A removed person's token is gone; a note says why, until they get a new one (rejoining).
  if (!token) { stop(storage().get(removedKey(sid)) ? 'removed' : 'no_token'); return; }
  storage().del(removedKey(sid));
  for (;;) {
    try { model = await api('GET', '/api/model'); break; } catch { await new Promise((r) => setTimeout(r, 2000)); }
  }
  connect();
  setInterval(keepAlive, 500);
  addEventListener('online', () => { if (conn === 'reconnecting' && !ws) connect(); });
}

/** An HTTP request with this person's token (new links, keys, deletion). */
export const authed = (method, path, body) => api(method, path, body, token);

/** Ends the page's connection for good, with a reason to show (the session was deleted). */
export function leave(reason) {
  storage().del(keyOf(sid));
  S = null;
  stop(reason);
  if (ws) { const gone = ws; ws = null; gone.close(); }
}

/** Registers what a page part does when one of its commands is settled (its draft goes). */
export const onSettled = (fn) => { settledHooks.push(fn); };

/** Takes a server error off the page. */
export function dismissNotice(n) { notices = notices.filter((x) => x !== n); repaint(); }

function connect() {
  clearTimeout(retryTimer);
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const sock = new WebSocket(`${scheme}//${location.host}/api/sessions/${encodeURIComponent(sid)}/ws`);
  ws = sock;
  sock.onopen = () => {
    const hello = { type: 'hello', token, sync: 'patches' };
    if (lastSeq != null) hello.last_seq = lastSeq;
    sock.send(JSON.stringify(hello));
  };
  // Handlers of a socket we gave up on (see keepAlive) must not touch the state.
  sock.onmessage = (ev) => {
    if (sock !== ws) return;
    lastHeard = Date.now();
    let msg;
    try { msg = JSON.parse(ev.data); } catch { return; }
    onMessage(msg);
  };
  sock.onclose = (ev) => { if (sock === ws) { ws = null; onClose(ev.code); } };
}

function onMessage(msg) {
  switch (msg.type) {
    case 'welcome':
      conn = 'online';
      lostAt = 0;
      lastHeard = Date.now();
      attempts = 0;
      // Sent just before the welcome left the server: off by the network delay at most.
      if (msg.server_time && !Number.isNaN(Date.parse(msg.server_time))) skew = Date.parse(msg.server_time) - Date.now();
      snapshotAgain = false;
      // With resume "snapshot" one is on its way; otherwise the missed events follow, and a
      // snapshot asked for now arrives after them.
      snapshotInFlight = msg.resume === 'snapshot';
      if (!snapshotInFlight) requestSnapshot();
      // Commands that were in flight when the connection dropped: the same id makes the
      // server apply each at most once (a duplicate is acked again).
      for (const p of pending.values()) send(p.msg);
      break;
    case 'snapshot':
      S = msg.state;
      snapshotInFlight = false;
      if (snapshotAgain) { snapshotAgain = false; requestSnapshot(); }
      changed();
      break;
    case 'patch':
      if (!S || msg.seq <= S.seq) return; // before the snapshot, or already in it
      if (msg.seq !== S.seq + 1) { requestSnapshot(); return; }
      // A patch that does not fit may have been half applied: show nothing rather than that,
      // until the snapshot asked for now arrives.
      if (!applyPatch(S, msg.ops)) { S = null; requestSnapshot(); break; }
      S.seq = msg.seq;
      changed();
      break;
    case 'event':
      // Only a server that cannot send changes sends events: ask for the state instead.
      lastSeq = Math.max(lastSeq ?? 0, msg.seq);
      requestSnapshot();
      return; // the snapshot repaints
    case 'preview':
      preview = { id: msg.id, preview: msg.preview };
      break;
    case 'presence':
      online = new Set(msg.online);
      stale = new Set(msg.stale || []);
      break;
    case 'presence_changed':
      if (msg.status === 'offline') { online.delete(msg.participant); stale.delete(msg.participant); }
      else { online.add(msg.participant); if (msg.status === 'stale') stale.add(msg.participant); else stale.delete(msg.participant); }
      break;
    case 'ack': {
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      // Drop the draft only when the snapshot shows the saved value, so it does not flicker back.
      if (p) whenSeq(msg.last_seq, () => { settled(p.what); repaint(); });
      break;
    }
    case 'error': {
      if (conn !== 'online') return; // refused hello: the close code that follows says why
      // Too many commands at once: the same command again, with the same id, once allowed.
      if (msg.code === 'rate_limited' && msg.id && pending.has(msg.id)) {
        const again = pending.get(msg.id).msg;
        setTimeout(() => send(again), Math.min(msg.retry_after_ms || 1000, 60_000));
        return;
      }
      if (msg.id) pending.delete(msg.id);
      // A refused snapshot request (the session was busy) is asked for again, or the copy
      // would wait for it forever.
      if (!msg.id && snapshotInFlight) { snapshotInFlight = false; setTimeout(requestSnapshot, 1000); }
      notices = [...notices.slice(-3), msg];
      announce(errText(msg));
      break;
    }
    default:
      return; // pong, or something newer than this page
  }
  repaint();
}

/** The copy of the session moved on: what follows from it on this page. */
function changed() {
  lastSeq = Math.max(lastSeq ?? 0, S.seq);
  setDefaultLang(S.session.language);
  if (lastPhase && lastPhase !== S.session.phase) announce(t('phase_now', { phase: t('phase_' + S.session.phase) }), true);
  lastPhase = S.session.phase;
  waiting = waiting.filter((w) => (S.seq >= w.seq ? (w.fn(), false) : true));
}

function onClose(code) {
  if (conn === 'stopped') return;
  // 4001: the token was refused. Keep it stored: the server also uses 4001 when connecting
  // fails for other reasons, so a reload may well work later.
  if (code === 4001) { stop('bad_token'); return; }
  // 4006: a facilitator revoked this board link.
  if (code === 4006) { storage().del(keyOf(sid)); S = null; stop('board_revoked'); return; }
  // 4003: a facilitator removed this person; their token no longer works anywhere.
  if (code === 4003) {
    storage().del(keyOf(sid));
    storage().set(removedKey(sid), '1');
    S = null;
    stop('removed');
    announce(t('removed'));
    return;
  }
  // 4004: a facilitator gave this person a new link; this one is dead. 4005: the session
  // was deleted. Either way, nothing to reconnect to with this token.
  if (code === 4004 || code === 4005) {
    storage().del(keyOf(sid));
    S = null;
    const why = code === 4004 ? 'link_replaced' : 'session_deleted';
    stop(why);
    announce(t(why));
    return;
  }
  if (conn === 'online') { lostAt = Date.now(); announce(t('conn_lost')); }
  conn = 'reconnecting';
  // 4000: we fell behind and should resync now. Otherwise back off, with jitter so that
  // a room full of devices does not reconnect in step after a server restart (1012).
  const delay = code === 4000 ? 0 : Math.min(MAX_BACKOFF, 1000 * 2 ** attempts) * (0.5 + Math.random() / 2);
  attempts += 1;
  retryTimer = setTimeout(connect, delay);
  repaint();
}

function stop(reason) { conn = 'stopped'; fatal = reason; repaint(); }

function keepAlive() {
  if (!ws || conn !== 'online') return;
  const now = Date.now();
  if (now - lastHeard < LOST_AFTER) {
    if (now - lastPing >= PING_EVERY) { lastPing = now; send({ type: 'ping' }); }
    return;
  }
  const dead = ws; // forget it first: its own close event may come late, or never
  ws = null;
  dead.close();
  onClose(1006);
}

function send(msg) {
  if (!ws || ws.readyState !== WebSocket.OPEN || conn !== 'online') return false;
  ws.send(JSON.stringify(msg));
  return true;
}

/** Asks for a fresh snapshot; a burst of events costs one request, plus one at the end. */
function requestSnapshot() {
  if (snapshotInFlight) { snapshotAgain = true; return; }
  snapshotInFlight = send({ type: 'snapshot' });
}

function whenSeq(seq, fn) {
  if (seq == null || (S && S.seq >= seq)) fn();
  else waiting.push({ seq, fn });
}

/** A random command id. crypto.randomUUID exists only on https and localhost. */
function newId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Sends a command; `what` names the control that shows it as pending. */
export function command(what, name, args = {}) {
  const msg = { type: 'command', id: newId(), command: name, args };
  pending.set(msg.id, { what, msg });
  send(msg); // if offline, it goes out after the next welcome
  repaint();
}

export const busy = (what) => [...pending.values()].some((p) => p.what === what);
export const pendingArgs = (what) => [...pending.values()].reverse().find((p) => p.what === what)?.msg.args;

function settled(what) {
  for (const fn of settledHooks) fn(what);
}
