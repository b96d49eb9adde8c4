import { createFeature, deleteFeature, FeatureRule, getFeature, MAX_K, setTextThreshold, updateFeature } from '@tenure/analysis'
import { Hono, type Context } from 'hono'
import type { DashboardEnv } from './deps.js'
import type { PageCtx } from './context.js'
import { previewFeature } from './data/feature-preview.js'
import { shownError } from './errors.js'
import { featureInput, formValues, readForm, rulesOf, type FeatureFormValues } from './feature-form.js'
import { FeatureEditor } from './pages/feature-editor.js'
import { featuresPage } from './pages/features.js'
import { HTML_HEADERS, renderHtml, renderPage } from './render.js'

const jsonError = (e: ReturnType<typeof shownError>) => ({
  error: { code: e.status === 404 ? 'not_found' : e.status === 500 ? 'internal' : 'invalid_body', message: e.message, field: e.field },
})

/** Rules passed in a link from a suggestion; anything unreadable starts a blank form instead. */
function suggestedRules(raw: string | undefined): FeatureRule[] {
  if (!raw || raw.length > 10_000) return []
  try {
    const parsed = FeatureRule.array().max(50).safeParse(JSON.parse(raw))
    return parsed.success ? parsed.data : []
  } catch {
    return []
  }
}

/** Feature pages: the list, the editor (create, new version, delete) and the live preview. */
export function featurePageRoutes(ctxOf: (c: Context<DashboardEnv>) => PageCtx): Hono<DashboardEnv> {
  const app = new Hono<DashboardEnv>()

  const editor = async (c: Context<DashboardEnv>, featureId: string | null, values: FeatureFormValues, status: 200 | 400 | 404, extra: { version?: number; error?: { message: string; field: string | null } } = {}) =>
    c.body(await renderHtml(FeatureEditor({ ctx: ctxOf(c), featureId, values, ...extra })), status, HTML_HEADERS)

  app.get('/features', (c) => renderPage(featuresPage, ctxOf(c), c.req.query()))

  app.get('/features/new', (c) => editor(c, null, formValues({ name: c.req.query('name') ?? '', rules: suggestedRules(c.req.query('rules')) }), 200))

  app.get('/features/:id', async (c) => {
    const ctx = ctxOf(c)
    const f = await getFeature(ctx.client, ctx.project.id, c.req.param('id'))
    if (!f) return editor(c, null, formValues({}), 404, { error: { message: `no feature ${c.req.param('id')}`, field: null } })
    return editor(c, f.id, formValues(f), 200, { version: f.version })
  })

  app.post('/features', async (c) => {
    const ctx = ctxOf(c)
    const values = readForm(await c.req.parseBody())
    try {
      const f = await createFeature(ctx.client, ctx.project.id, featureInput(values, true))
      return c.redirect(`/app/features?saved=${encodeURIComponent(f.id)}`, 303)
    } catch (err) {
      const e = shownError(err)
      return editor(c, null, values, 400, { error: e })
    }
  })

  app.post('/features/:id', async (c) => {
    const ctx = ctxOf(c)
    const id = c.req.param('id')
    const values = readForm(await c.req.parseBody())
    try {
      const f = await updateFeature(ctx.client, ctx.project.id, id, featureInput(values, false))
      return c.redirect(`/app/features?saved=${encodeURIComponent(f.id)}`, 303)
    } catch (err) {
      const e = shownError(err)
      const current = await getFeature(ctx.client, ctx.project.id, id)
      return editor(c, current ? id : null, values, e.status === 404 ? 404 : 400, { version: current?.version, error: e })
    }
  })

  // How many people must produce an element text before it is stored and shown in plain.
  app.post('/settings/element-text', async (c) => {
    const ctx = ctxOf(c)
    const k = Number((await c.req.parseBody()).k)
    if (!Number.isInteger(k) || k < 1 || k > MAX_K) {
      return c.json({ error: { code: 'invalid_body', message: `k must be an integer from 1 to ${MAX_K}`, field: 'k' } }, 400)
    }
    await setTextThreshold(ctx.client, ctx.project.id, k)
    return c.redirect(`/app/features?text_k=${k}`, 303)
  })

  app.post('/features/:id/delete', async (c) => {
    const ctx = ctxOf(c)
    try {
      const f = await deleteFeature(ctx.client, ctx.project.id, c.req.param('id'))
      return c.redirect(`/app/features?deleted=${encodeURIComponent(f.id)}`, 303)
    } catch (err) {
      const e = shownError(err)
      return editor(c, null, formValues({}), e.status === 404 ? 404 : 400, { error: e })
    }
  })

  app.post('/api/features/preview', async (c) => {
    const ctx = ctxOf(c)
    try {
      const values = readForm(await c.req.parseBody())
      const p = await previewFeature(ctx.client, ctx.project.id, rulesOf(values))
      return c.json({ users: p.users, events: p.events, range: `last ${p.days} days` })
    } catch (err) {
      const e = shownError(err)
      return c.json(jsonError(e), e.status)
    }
  })

  return app
}
