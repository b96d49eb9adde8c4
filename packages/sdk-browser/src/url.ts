/** Query parameters that commonly carry credentials or personal data; always stripped. */
export const DEFAULT_STRIP_PARAMS = [
  'code', 'state', 'key', 'apikey', 'api_key', 'auth', 'password', 'pass', 'pwd', 'email',
  'sid', 'session', 'sessionid', 'session_id', 'jwt', 'otp', 'sig', 'signature', 'ticket', 'secret',
  'client_secret', 'token', 'access_token', 'id_token', 'refresh_token', 'x-amz-signature', 'x-amz-credential',
]
/** Any parameter whose name merely contains one of these is stripped too (e.g. `reset_token`). */
const LOOKS_SECRET = /token|secret|passw|api.?key|signature|credential/i
const MAX_URL = 2048

export type Sanitize = (url: string) => string

/**
 * A sanitiser that removes credentials-like query parameters (in the query and in a hash that
 * carries parameters, as OAuth implicit flows and hash routers do) and any `user:pass@`.
 * Returns '' for text that is not a URL.
 */
export function urlSanitizer(extra: readonly string[] = []): Sanitize {
  const names = new Set([...DEFAULT_STRIP_PARAMS, ...extra].map((s) => s.toLowerCase()))
  const drop = (name: string) => names.has(name.toLowerCase()) || LOOKS_SECRET.test(name)
  const clean = (params: string): string =>
    params
      .split('&')
      .filter((p) => p && !drop(safeDecode(p.split('=')[0]!)))
      .join('&')

  return (raw) => {
    let u: URL
    try {
      u = new URL(raw, location.href)
    } catch {
      return ''
    }
    u.username = ''
    u.password = ''
    if (u.search) u.search = clean(u.search.slice(1))
    const hash = u.hash.slice(1)
    if (hash.includes('=')) {
      const q = hash.indexOf('?')
      // `#/route?token=x` keeps its route; `#access_token=x&y=1` is all parameters.
      u.hash = q >= 0 ? hash.slice(0, q + 1) + clean(hash.slice(q + 1)) : clean(hash)
    }
    let out = u.href
    if (out.endsWith('?') || out.endsWith('#')) out = out.slice(0, -1)
    return out.length > MAX_URL ? out.slice(0, MAX_URL) : out
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '))
  } catch {
    return s
  }
}
