import { readFileSync } from 'node:fs'
import { Validator } from '@seriousme/openapi-schema-validator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OpenApiDocument } from '../src/openapi/document.js'
import { endpointTable, withEndpointTable } from '../src/openapi/endpoint-table.js'
import { startCollector, type TestCollector } from './helpers.js'

interface Param {
  name: string
  in: string
  required?: boolean
  schema?: { type?: string; enum?: string[]; minimum?: number; maximum?: number; items?: { minimum?: number; maximum?: number } }
}
interface Operation {
  operationId: string
  parameters?: Param[]
  security?: Array<Record<string, string[]>>
  responses: Record<string, unknown>
}
type Doc = { openapi: string; paths: Record<string, Record<string, Operation>>; components: { securitySchemes: Record<string, unknown> } }

let t: TestCollector
let doc: Doc
let auth: Record<string, string>

beforeAll(async () => {
  t = await startCollector()
  auth = { authorization: `Bearer ${t.secretKey}` }
  const res = await t.collector.app.request('/openapi.json')
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toContain('application/json')
  doc = (await res.json()) as Doc
})
afterAll(() => t.cleanup())

const openApiPath = (honoPath: string) => honoPath.replace(/:([A-Za-z_]+)/g, '{$1}')
const get = (path: string, headers = auth) => Promise.resolve(t.collector.app.request(path, { headers }))
const query = (o: Record<string, string>) => new URLSearchParams(o).toString()
const op = (path: string, method = 'get') => {
  const found = doc.paths[path]?.[method]
  if (!found) throw new Error(`${method.toUpperCase()} ${path} is not in the document`)
  return found
}

/** Every route the app answers, as (method, path): handlers and middlewares of one route are listed once. */
function appRoutes(): Array<{ method: string; path: string }> {
  const seen = new Map<string, { method: string; path: string }>()
  for (const r of t.collector.app.routes) {
    // `ALL` entries are middlewares mounted with app.use (auth, CORS), not routes.
    if (r.method === 'ALL') continue
    seen.set(`${r.method} ${r.path}`, { method: r.method.toLowerCase(), path: r.path })
  }
  return [...seen.values()]
}

describe('/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator()
    const result = await validator.validate(structuredClone(doc) as unknown as Parameters<Validator["validate"]>[0])
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
    expect(validator.version).toBe('3.1')
  })

  it('documents every route the app registers outside the dashboard, and no route it does not have', () => {
    const routes = appRoutes().filter((r) => !r.path.startsWith('/app'))
    const v1 = routes.filter((r) => r.path.startsWith('/v1/'))
    expect(v1.length).toBeGreaterThan(40)
    const missing = routes.filter((r) => !doc.paths[openApiPath(r.path)]?.[r.method]).map((r) => `${r.method.toUpperCase()} ${r.path}`)
    expect(missing).toEqual([])
    const registered = new Set(routes.map((r) => `${r.method} ${openApiPath(r.path)}`))
    const documented = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m} ${path}`))
    expect(documented.filter((d) => !registered.has(d))).toEqual([])
    expect(documented.length).toBe(routes.length)
  })

  it('names the key each route needs: the secret key for reads, the write key for the public nudge routes', () => {
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['metricsToken', 'secretKey', 'segmentWriteKey', 'writeKey'])
    expect(op('/v1/analysis/retention').security).toEqual([{ secretKey: [] }])
    expect(op('/v1/nudges/eligibility').security).toEqual([{ writeKey: [] }])
    expect(op('/v1/batch', 'post').security).toContainEqual({ segmentWriteKey: [] })
    expect(op('/sdk/{file}').security).toEqual([])
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const o of Object.values(item)) {
        if (o.security?.some((s) => 'secretKey' in s) && o.security.length === 1) expect(o.responses['401'], path).toBeDefined()
      }
    }
  })

  it('shows the same answer to a route whose key is refused', async () => {
    const res = await get('/v1/analysis/retention?from=2026-01-01&to=2026-01-02', {})
    expect(res.status).toBe(401)
    expect(Object.keys(op('/v1/analysis/retention').responses)).toContain('401')
  })
})

describe('documented query parameters are the ones the route accepts', () => {
  const path = '/v1/analysis/retention'
  const valid = { from: '2026-01-05', to: '2026-01-18' }

  it('lists each parameter of the retention report, from and to required', () => {
    const params = op(path).parameters!
    expect(params.every((p) => p.in === 'query')).toBe(true)
    expect(params.map((p) => p.name).sort()).toEqual(['as_of', 'breakdown', 'cohort', 'days', 'from', 'max_groups', 'min_n', 'mode', 'return_feature', 'segment', 'segment_def', 'start', 'start_feature', 'timezone', 'to'])
    expect(params.filter((p) => p.required).map((p) => p.name).sort()).toEqual(['from', 'to'])
    // Day lists go comma-separated: `days=1,7,30`.
    expect(params.find((p) => p.name === 'days')).toMatchObject({ explode: false, schema: { type: 'array' } })
  })

  it('answers 200 when every documented parameter is given a value it documents', async () => {
    const values: Record<string, string> = { ...valid, as_of: '2026-03-01', timezone: 'UTC', days: '1,7', mode: 'on_or_after', start: 'recurring', cohort: 'day' }
    const documented = new Set(op(path).parameters!.map((p) => p.name))
    for (const name of Object.keys(values)) expect(documented.has(name), name).toBe(true)
    const res = await get(`${path}?${query(values)}`)
    expect(res.status, await res.clone().text()).toBe(200)
  })

  it('refuses a value outside a documented enum or range with 400 naming that parameter', async () => {
    const params = op(path).parameters!
    const enums = params.filter((p) => p.schema?.enum)
    expect(enums.map((p) => p.name).sort()).toEqual(['cohort', 'mode', 'start'])
    for (const p of enums) {
      const res = await get(`${path}?${query({ ...valid, [p.name]: 'not-a-documented-value' })}`)
      expect(res.status, p.name).toBe(400)
      expect(((await res.json()) as { error: { code: string; field: string } }).error).toMatchObject({ code: 'invalid_query', field: p.name })
    }
    const days = params.find((p) => p.name === 'days')!
    const res = await get(`${path}?${query({ ...valid, days: String(days.schema!.items!.maximum! + 1) })}`)
    expect(res.status).toBe(400)
    // A list names the item at fault: `days.0`.
    expect(((await res.json()) as { error: { field: string } }).error.field).toMatch(/^days(\.|$)/)
  })

  it('refuses a missing required parameter and an undocumented one, naming them', async () => {
    const missing = await get(`${path}?${query({ from: valid.from })}`)
    expect(missing.status).toBe(400)
    expect(((await missing.json()) as { error: { field: string } }).error.field).toBe('to')
    const unknown = await get(`${path}?${query({ ...valid, cohort_size: '3' })}`)
    expect(unknown.status).toBe(400)
    expect(((await unknown.json()) as { error: { field: string; message: string } }).error).toMatchObject({ field: 'cohort_size', message: 'unknown parameter cohort_size' })
  })

  it('holds for the enums of every analysis and account report: a bad value is refused naming the documented parameter', async () => {
    const required: Record<string, Record<string, string>> = {
      '/v1/analysis/aha': { ...valid, feature: 'export' },
    }
    let checked = 0
    for (const [p, item] of Object.entries(doc.paths)) {
      if (!/^\/v1\/(analysis|reports)\/[a-z-]+$/.test(p) || !item.get) continue
      for (const param of item.get.parameters ?? []) {
        if (!param.schema?.enum) continue
        const base = p.startsWith('/v1/analysis/') ? (required[p] ?? valid) : {}
        const res = await get(`${p}?${query({ ...base, [param.name]: 'not-a-documented-value' })}`)
        expect(res.status, `${p} ${param.name}`).toBe(400)
        expect(((await res.json()) as { error: { field: string } }).error.field, `${p} ${param.name}`).toBe(param.name)
        checked++
      }
    }
    expect(checked).toBeGreaterThan(10)
  })
})

describe('/docs/api', () => {
  it('renders every operation of the document as a page that loads nothing from elsewhere', async () => {
    const res = await t.collector.app.request('/docs/api')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/html')
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'")
    const html = await res.text()
    expect(html).not.toMatch(/<script|<link|src="http/i)
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, o] of Object.entries(item)) {
        expect(html, `${method} ${path}`).toContain(`<section id="${o.operationId}">`)
      }
    }
    // A parameter with its meaning, as a reader looks it up.
    expect(html).toContain('<code>start_feature</code>')
    expect(html).toContain('Start event: use of this feature')
  })
})

describe('the endpoint table of the collector README', () => {
  it('is the one the document gives (scripts/readme-endpoints.ts writes it), so every route is listed', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
    const table = endpointTable(doc as unknown as OpenApiDocument)
    expect(withEndpointTable(readme, table)).toBe(readme)
    for (const path of Object.keys(doc.paths)) expect(table).toContain(` ${path}\``)
  })
})
