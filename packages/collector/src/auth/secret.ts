import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../deps.js'
import { HttpError } from '../errors.js'
import type { Project, ProjectRegistry } from './projects.js'

/** `Authorization: Bearer <secret>` → the secret, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header)
  return m?.[1]
}

/**
 * Verifies a secret key and returns its project (undefined when the key is wrong).
 * For callers that authenticate some other way than a header, e.g. a dashboard login form.
 */
export function verifySecretKey(projects: ProjectRegistry, secret: string): Promise<Project | undefined> {
  return projects.verifySecret(secret)
}

/**
 * Guards query and admin routes: the request must carry the project's secret key. Sets
 * `c.get('project')`; handlers must scope every read to that project's id.
 */
export function requireSecretKey(projects: ProjectRegistry): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const secret = bearerToken(c.req.header('authorization'))
    if (!secret) throw new HttpError('unauthorized', 'send the project secret key as Authorization: Bearer <key>')
    const project = await projects.verifySecret(secret)
    if (!project) throw new HttpError('unauthorized', 'unknown secret key')
    c.set('project', project)
    await next()
  }
}
