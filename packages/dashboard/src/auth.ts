import { Hono, type Context, type MiddlewareHandler } from 'hono'
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie'
import { randomBytes } from 'node:crypto'
import type { DashboardDeps, DashboardEnv } from './deps.js'
import { LoginPage } from './pages/login.js'
import { HTML_HEADERS, renderHtml } from './render.js'
import type { Sessions } from './session.js'

export const COOKIE = 'tenure_session'

/** A post-login destination inside the dashboard, or the overview (never another site). */
export function safeNext(next: string | undefined): string {
  if (!next || next.length > 2000 || !next.startsWith('/app') || next.includes('\\')) return '/app'
  try {
    const u = new URL(next, 'http://h')
    if (u.origin !== 'http://h' || !(u.pathname === '/app' || u.pathname.startsWith('/app/')) || u.pathname.startsWith('/app/login')) return '/app'
    return u.pathname + u.search
  } catch {
    return '/app'
  }
}

/**
 * Cross-site request forgery: the session cookie is SameSite=Strict, and every state-changing
 * request must also come from this origin (Origin header, or Sec-Fetch-Site when a browser omits it).
 */
export function sameOrigin(c: Context): boolean {
  const origin = c.req.header('origin')
  if (origin) return origin === new URL(c.req.url).origin
  return c.req.header('sec-fetch-site') === 'same-origin'
}

export function csrfGuard(): MiddlewareHandler<DashboardEnv> {
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && !sameOrigin(c)) {
      return c.json({ error: { code: 'forbidden', message: 'cross-origin request refused', field: null } }, 403)
    }
    await next()
  }
}

/** Failed logins allowed from one address before it must wait, and how fast it earns another try. */
export const LOGIN_FAILURES = { burst: 10, perSecond: 1 / 30, keys: 10_000 }

export interface SessionAuth {
  routes: Hono<DashboardEnv>
  /** Sets `project` for signed-in requests; others go to the login form (JSON routes get 401). */
  require: MiddlewareHandler<DashboardEnv>
}

export function sessionAuth(deps: Pick<DashboardDeps, 'projects' | 'request' | 'limit'>, sessions: Sessions): SessionAuth {
  const { projects, request } = deps
  // Guessing a secret key is hopeless, but a form that answers every guess at full speed invites it.
  const failures = deps.limit(LOGIN_FAILURES)
  // Signs the cookie; sessions live in memory, so a per-process secret loses nothing on restart.
  const secret = randomBytes(32).toString('base64url')
  const routes = new Hono<DashboardEnv>()

  const cookieOptions = (c: Context) => ({
    path: '/app',
    httpOnly: true,
    sameSite: 'Strict' as const,
    secure: request.secure(c),
    maxAge: sessions.maxAgeSeconds,
  })

  routes.get('/login', async (c) => c.body(await renderHtml(LoginPage({ next: safeNext(c.req.query('next')) })), 200, HTML_HEADERS))

  routes.post('/login', async (c) => {
    const form = await c.req.parseBody()
    const key = typeof form.key === 'string' ? form.key.trim() : ''
    const next = safeNext(typeof form.next === 'string' ? form.next : undefined)
    const who = request.address(c)
    const allowed = failures.check(who)
    if (!allowed.ok) {
      c.header('Retry-After', String(allowed.retryAfter))
      const error = `Too many failed attempts from this address; try again in ${allowed.retryAfter} s.`
      return c.body(await renderHtml(LoginPage({ next, error })), 429, HTML_HEADERS)
    }
    const project = key ? await projects.verifySecret(key) : undefined
    if (!project) {
      if (key) failures.take(who)
      const error = key ? 'That key is not the secret key of any project.' : 'Enter the secret key.'
      return c.body(await renderHtml(LoginPage({ next, error })), 401, HTML_HEADERS)
    }
    const old = await getSignedCookie(c, secret, COOKIE)
    sessions.delete(old)
    await setSignedCookie(c, COOKIE, sessions.create(project.id), secret, cookieOptions(c))
    return c.redirect(next, 303)
  })

  routes.post('/logout', async (c) => {
    sessions.delete(await getSignedCookie(c, secret, COOKIE))
    deleteCookie(c, COOKIE, { path: '/app' })
    return c.redirect('/app/login', 303)
  })

  const require: MiddlewareHandler<DashboardEnv> = async (c, next) => {
    const session = sessions.get(await getSignedCookie(c, secret, COOKIE))
    const project = session ? projects.get(session.projectId) : undefined
    if (!project) {
      if (c.req.path.startsWith('/app/api/')) {
        return c.json({ error: { code: 'unauthorized', message: 'log in to the dashboard first', field: null } }, 401)
      }
      const url = new URL(c.req.url)
      const target = c.req.method === 'GET' ? url.pathname + url.search : '/app'
      return c.redirect(`/app/login?next=${encodeURIComponent(target)}`, 303)
    }
    c.set('project', project)
    await next()
  }

  return { routes, require }
}
