import { Hono } from 'hono'
import { compress } from 'hono/compress'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { DashboardEnv } from './deps.js'

const here = dirname(fileURLToPath(import.meta.url))
const require = createRequire(import.meta.url)

interface Asset {
  body: string
  type: string
}

/** The dashboard's only files: its stylesheet and script, and uPlot straight from its package. */
function loadAssets(): Map<string, Asset> {
  const css = 'text/css; charset=utf-8'
  const js = 'text/javascript; charset=utf-8'
  return new Map<string, Asset>([
    ['app.css', { body: readFileSync(join(here, 'assets', 'app.css'), 'utf8'), type: css }],
    ['app.js', { body: readFileSync(join(here, 'assets', 'app.js'), 'utf8'), type: js }],
    ['live.js', { body: readFileSync(join(here, 'assets', 'live.js'), 'utf8'), type: js }],
    ['uPlot.iife.min.js', { body: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'), type: js }],
    ['uPlot.min.css', { body: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'), type: css }],
  ])
}

export function staticRoutes(): Hono<DashboardEnv> {
  const assets = loadAssets()
  const app = new Hono<DashboardEnv>()
  app.get('/static/:file', compress(), (c) => {
    const asset = assets.get(c.req.param('file'))
    if (!asset) return c.text('not found', 404)
    // Short cache: the names carry no version, and the files change with the dashboard.
    return c.body(asset.body, 200, { 'content-type': asset.type, 'cache-control': 'public, max-age=300' })
  })
  return app
}
