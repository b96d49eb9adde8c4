import { readdirSync, readFileSync } from 'node:fs'
import { extname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const DIR = fileURLToPath(new URL('.', import.meta.url))
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
}

export interface DemoAssets {
  /** The response for a path under `/demo/`, or null when it is none of ours. */
  respond(path: string): Response | null
}

/**
 * Serves the demo app (the SDK it loads, `/sdk/tenure.js` and its chunks, is the collector's own). Only files that exist at start are served (a fixed
 * list, so no path from a request ever reaches the file system), and the pages get the project's
 * write key put into their script tag.
 */
export function demoAssets(opts: { writeKey: string }): DemoAssets {
  const files = new Map<string, { body: string | Buffer; type: string }>()
  for (const name of readdirSync(DIR)) {
    const type = TYPES[extname(name)]
    if (!type || name.endsWith('.ts')) continue
    let body: string | Buffer = readFileSync(join(DIR, name))
    if (name.endsWith('.html')) body = body.toString('utf8').replaceAll('%TENURE_WRITE_KEY%', escapeAttr(opts.writeKey))
    files.set(`/demo/${name}`, { body, type })
  }
  const index = files.get('/demo/index.html')
  if (index) files.set('/demo/', index)

  return {
    respond(path) {
      if (path === '/demo') return new Response(null, { status: 302, headers: { location: '/demo/' } })
      const file = files.get(path)
      if (!file) return null
      return new Response(typeof file.body === 'string' ? file.body : new Uint8Array(file.body), { headers: { 'content-type': file.type, 'cache-control': 'no-cache' } })
    },
  }
}

function escapeAttr(s: string): string {
  return s.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** The routes a collector app needs to serve the demo: `/demo` and `/demo/*`. */
export function mountDemo(
  app: { get(path: string, handler: (c: { req: { path: string }; notFound(): Response | Promise<Response> }) => Response | Promise<Response>): unknown },
  assets: DemoAssets,
): void {
  for (const path of ['/demo', '/demo/*']) app.get(path, (c) => assets.respond(c.req.path) ?? c.notFound())
}
