// Applies the server's JSON Patch operations (RFC 6902: add, remove, replace) to this page's
// copy of the session. Generic on purpose: the server works out what changed in this person's
// view; the page only writes it down, and knows no rule of the session.

const unescape = (s) => s.replace(/~1/g, '/').replace(/~0/g, '~');

/** Applies `ops` to `doc` in place; false when one does not fit (then ask for a snapshot). */
export function applyPatch(doc, ops) {
  if (!Array.isArray(ops)) return false;
  for (const op of ops) {
    if (typeof op?.path !== 'string' || !op.path.startsWith('/')) return false;
    const keys = op.path.slice(1).split('/').map(unescape);
    if (keys.includes('__proto__')) return false;
    const last = keys.pop();
    let parent = doc;
    for (const k of keys) {
      parent = Array.isArray(parent) ? parent[Number(k)] : parent?.[k];
      if (parent === null || typeof parent !== 'object') return false;
    }
    if (Array.isArray(parent)) {
      const i = last === '-' ? parent.length : Number(last);
      if (!Number.isInteger(i) || i < 0 || i > parent.length) return false;
      if (op.op === 'add') parent.splice(i, 0, op.value);
      else if (i === parent.length) return false;
      else if (op.op === 'remove') parent.splice(i, 1);
      else if (op.op === 'replace') parent[i] = op.value;
      else return false;
    } else if (op.op === 'add' || (op.op === 'replace' && Object.hasOwn(parent, last))) {
      parent[last] = op.value;
    } else if (op.op === 'remove' && Object.hasOwn(parent, last)) {
      delete parent[last];
    } else {
      return false;
    }
  }
  return true;
}
