/**
 * A page path with its ids folded: a segment holding a digit, or as long as a token, becomes
 * `:id`, and a trailing slash goes. `/invite/3f9c2a71b0de` and `/invite/77aa01c9e2f4` are then one
 * landing page, so people who land on an invitation (a record, a shared link) form a group as
 * large as they are, instead of one group each.
 */
export function pathPattern(path: string): string {
  if (path === '') return ''
  const segments = path.split('/').map((s) => (ID_LIKE.test(s) ? ':id' : s))
  const joined = segments.join('/')
  return joined.length > 1 && joined.endsWith('/') ? joined.slice(0, -1) : joined
}

/** A segment with a digit in it, or of 20 characters or more: an id or a token, not a page's name. */
const ID_LIKE = /\d|^[^/]{20,}$/
