import { Hono } from 'hono'
import type { AppDeps, AppEnv } from '../deps.js'

export function ingestRoutes(_deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  return app
}
