import { createNudge, listFeatures, startNudge, stopNudge } from '@tenure/analysis'
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../deps.js'
import type { PageCtx } from './context.js'
import { shownError } from './errors.js'
import { NEW_NUDGE, nudgeFormField, nudgeInput, readNudgeForm, type NudgeFormValues } from './nudge-form.js'
import { NudgeEditor } from './pages/nudge-editor.js'
import { nudgeReportPage, nudgesPage } from './pages/nudges.js'
import { ErrorBox } from './components/states.js'
import { Layout } from './components/layout.js'
import { HTML_HEADERS, renderHtml, renderPage } from './render.js'

/** Nudge pages: the list with start/stop, the create form, and each nudge's report. */
export function nudgePageRoutes(ctxOf: (c: Context<AppEnv>) => PageCtx): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  const editor = async (c: Context<AppEnv>, values: NudgeFormValues, status: 200 | 400, error?: { message: string; field: string | null }) => {
    const ctx = ctxOf(c)
    const features = await listFeatures(ctx.client, ctx.project.id)
    return c.body(await renderHtml(NudgeEditor({ ctx, features, values, error })), status, HTML_HEADERS)
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

  for (const [verb, run] of [['start', startNudge], ['stop', stopNudge]] as const) {
    app.post(`/nudges/:id/${verb}`, async (c) => {
      const ctx = ctxOf(c)
      try {
        const n = await run(ctx.client, ctx.project.id, c.req.param('id'))
        return c.redirect(`/app/nudges?${verb === 'start' ? 'started' : 'stopped'}=${encodeURIComponent(n.id)}`, 303)
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
