import { Hono, type Context } from 'hono'
import type { AppDeps, AppEnv } from '../deps.js'
import { z } from 'zod'
import { HttpError } from '../errors.js'
import { describe } from '../openapi/describe.js'
import { SDK_FILES, sdkBundleReader, type SdkFile } from '../sdk/bundle.js'

/** The stable names change with every release, so browsers ask again after a short while (and get 304 when nothing changed). */
const STABLE_CACHE = 'public, max-age=300, must-revalidate'
const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable'

/**
 * Hosts the built browser SDK, so a product can take its script tag from the collector:
 * `/sdk/tenure.js` (stable name, short cache with ETag) and `/sdk/<version>/tenure.js`
 * (content-hashed folder, cached for a year); each folder also holds the chunks the script loads
 * by name (`tenure-nudges.js`). `/sdk/manifest.json` names the current version. Scripts are public
 * and read by other origins, so every answer allows any origin.
 */
export function sdkRoutes(deps: Pick<AppDeps, 'config'>): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const read = sdkBundleReader(deps.config.sdkDir)
  const bundle = () => {
    const b = read()
    if (!b) throw new HttpError('not_found', 'the browser SDK is not built on this collector: run `pnpm build` (or set TENURE_SDK_DIR)')
    return b
  }

  app.use('/sdk/*', async (c, next) => {
    await next()
    c.header('Access-Control-Allow-Origin', '*')
    c.header('Cross-Origin-Resource-Policy', 'cross-origin')
    c.header('X-Content-Type-Options', 'nosniff')
  })

  const File = z.object({ file: z.enum(SDK_FILES) })
  app.get('/sdk/manifest.json', ...describe({ tag: 'SDK', summary: 'The current SDK version and the paths of its files', auth: 'public', ok: { description: '`{version, files: {<file>: {stable, immutable}}}`' }, errors: [404] }), (c) => {
    const b = bundle()
    c.header('Cache-Control', 'no-cache')
    return c.json({
      version: b.version,
      files: Object.fromEntries([...b.files.keys()].map((f) => [f, { stable: `/sdk/${f}`, immutable: `/sdk/${b.version}/${f}` }])),
    })
  })

  app.get('/sdk/:file', ...describe({
    tag: 'SDK',
    summary: 'The browser SDK (tenure.js) and its nudge chunk, under stable names',
    description: 'Cached 5 minutes, then revalidated by ETag. Any origin may load it.',
    auth: 'public',
    path: File,
    ok: { description: 'JavaScript.', schema: z.string(), media: 'text/javascript' },
    errors: [304, 404],
  }), (c) => serveFile(c, bundle(), c.req.param('file'), STABLE_CACHE))

  app.get('/sdk/:version/:file', ...describe({
    tag: 'SDK',
    summary: 'The same files under the content hash of the build, cached a year as immutable',
    auth: 'public',
    path: File.extend({ version: z.string().describe('The version `/sdk/manifest.json` names') }),
    ok: { description: 'JavaScript.', schema: z.string(), media: 'text/javascript' },
    errors: [304, 404],
  }), (c) => {
    const b = bundle()
    // Only the build on disk is kept; an older version is gone rather than served under a wrong name.
    if (c.req.param('version') !== b.version) throw new HttpError('not_found', `SDK version ${c.req.param('version')} is not hosted here; /sdk/manifest.json names the current one`)
    return serveFile(c, b, c.req.param('file'), IMMUTABLE_CACHE)
  })

  return app
}

function serveFile(c: Context<AppEnv>, b: NonNullable<ReturnType<ReturnType<typeof sdkBundleReader>>>, name: string, cache: string): Response {
  const file = (SDK_FILES as readonly string[]).includes(name) ? b.files.get(name as SdkFile) : undefined
  if (!file) throw new HttpError('not_found', `no SDK file ${name}`)
  c.header('Cache-Control', cache)
  c.header('ETag', file.etag)
  if (ifNoneMatch(c.req.header('if-none-match'), file.etag)) return c.body(null, 304)
  c.header('Content-Type', 'text/javascript; charset=utf-8')
  return c.body(file.body)
}

function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false
  return header.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '')
    return tag === '*' || tag === etag
  })
}
