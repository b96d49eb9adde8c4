import { archiveNudge, createNudge, getNudge, listFeatures, startNudge, stopNudge, updateNudge } from '@tenure/analysis'
import { Hono, type Context } from 'hono'
import type { DashboardEnv } from './deps.js'
import type { PageCtx } from './context.js'
import { shownError } from './errors.js'
import { NEW_NUDGE, nudgeFormField, nudgeFormValues, nudgeInput, readNudgeForm, type NudgeFormValues } from './nudge-form.js'
import { NudgeEditor } from './pages/nudge-editor.js'
import { nudgeReportPage, nudgesPage } from './pages/nudges.js'
import { ErrorBox } from './components/states.js'
import { Layout } from './components/layout.js'
import { HTML_HEADERS, renderHtml, renderPage } from './render.js'

/** Nudge pages: the list with start/pause/resume/archive, the create and edit forms, and each nudge's report. */
export function nudgePageRoutes(ctxOf: (c: Context<DashboardEnv>) => PageCtx): Hono<DashboardEnv> {
  const app = new Hono<DashboardEnv>()

  const editor = async (
    c: Context<DashboardEnv>, values: NudgeFormValues, status: 200 | 400, error?: { message: string; field: string | null },
    editing?: { id: string; version: number; started: boolean },
  ) => {
    const ctx = ctxOf(c)
    const features = await listFeatures(ctx.client, ctx.project.id)
    return c.body(await renderHtml(NudgeEditor({ ctx, features, values, error, editing })), status, HTML_HEADERS)
  }

  app.get('/nudges', (c) => renderPage(nudgesPage, ctxOf(c), c.req.query()))
  app.get('/nudges/new', (c) => editor(c, { ...NEW_NUDGE, feature: c.req.query('feature') ?? '' }, 200))

  app.post('/nudges', async (c) => {
    const ctx = ctxOf(c)
    const values = readNudgeForm(await c.req.parseBody())
    try {
      const n = await createNudge(ctx.client, ctx.project.id, nudgeInput(values))
      return c.redirect(`/app/nudges/${encodeURIComponent(n.id)}`, 303)
    } catch (err) {
      const e = shownError(err)
      return editor(c, values, 400, { message: e.message, field: nudgeFormField(e.field) })
    }
  })

  const stored = async (c: Context<DashboardEnv>) => {
    const ctx = ctxOf(c)
    const n = await getNudge(ctx.client, ctx.project.id, c.req.param('id') ?? '')
    return n && n.status !== 'archived' ? n : null
  }
  app.get('/nudges/:id/edit', async (c) => {
    const n = await stored(c)
    if (!n) return c.redirect('/app/nudges', 303)
    return editor(c, nudgeFormValues(n), 200, undefined, { id: n.id, version: n.version, started: n.startedAt !== null })
  })
  app.post('/nudges/:id/edit', async (c) => {
    const ctx = ctxOf(c)
    const n = await stored(c)
    if (!n) return c.redirect('/app/nudges', 303)
    const values = { ...readNudgeForm(await c.req.parseBody()), id: '' }
    try {
      await updateNudge(ctx.client, ctx.project.id, n.id, nudgeInput(values))
      return c.redirect(`/app/nudges/${encodeURIComponent(n.id)}?saved=1`, 303)
    } catch (err) {
      const e = shownError(err)
      return editor(c, values, 400, { message: e.message, field: nudgeFormField(e.field) }, { id: n.id, version: n.version, started: n.startedAt !== null })
    }
  })

  const done = { start: 'started', stop: 'stopped', archive: 'archived' } as const
  for (const [verb, run] of [['start', startNudge], ['stop', stopNudge], ['archive', archiveNudge]] as const) {
    app.post(`/nudges/:id/${verb}`, async (c) => {
      const ctx = ctxOf(c)
      try {
        const n = await run(ctx.client, ctx.project.id, c.req.param('id'))
        return c.redirect(`/app/nudges?${done[verb]}=${encodeURIComponent(n.id)}`, 303)
      } catch (err) {
        const e = shownError(err)
        const html = await renderHtml(
          <Layout title="Nudges" nav="nudges" project={ctx.project} navKeys={ctx.navKeys}>
            <h1>Nudges</h1>
            <ErrorBox title={`Could not ${verb} the nudge`} message={e.message} field={e.field}>
              <p><a href="/app/nudges">Back to the nudges</a></p>
            </ErrorBox>
          </Layout>,
        )
        return c.body(html, e.status, HTML_HEADERS)
      }
    })
  }

  app.get('/nudges/:id', (c) => renderPage(nudgeReportPage(c.req.param('id')), ctxOf(c), c.req.query()))
  return app
}
