import { readFileSync } from 'node:fs'
import { Hono } from 'hono'
import type { AppEnv } from '../deps.js'
import { describe } from '../openapi/describe.js'
import { openApiDocument, type OpenApiDocument } from '../openapi/document.js'
import { renderReference } from '../openapi/reference-page.js'

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version

/**
 * The API's own description (public: it holds no data):
 *   GET /openapi.json   the OpenAPI 3.1 document, generated from the routes' zod schemas
 *   GET /docs/api       the same as a readable HTML page
 * `app` is the whole collector app: the document lists the routes mounted on it.
 */
export function openApiRoutes(app: Hono<AppEnv>): Hono<AppEnv> {
  const routes = new Hono<AppEnv>()
  // Routes are fixed once the app is built: the document is generated once, at the first request.
  let doc: Promise<OpenApiDocument> | undefined
  let page: string | undefined
  const document = () => (doc ??= openApiDocument(app, VERSION))

  routes.get(
    '/openapi.json',
    ...describe({ tag: 'Reference', summary: 'The OpenAPI document of this API', auth: 'public', ok: { description: 'The OpenAPI 3.1 document of every API route.' } }),
    async (c) => {
      c.header('Cache-Control', 'no-cache')
      return c.json(await document())
    },
  )

  routes.get(
    '/docs/api',
    ...describe({ tag: 'Reference', summary: 'The API reference as an HTML page', auth: 'public', ok: { description: 'An HTML page rendered from `/openapi.json`.' } }),
    async (c) => {
      page ??= renderReference(await document())
      // The page is plain HTML and inline styles: nothing may load from anywhere.
      c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
      c.header('Cache-Control', 'no-cache')
      return c.html(page)
    },
  )
  return routes
}
