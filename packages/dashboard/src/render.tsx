import type { Child } from 'hono/jsx'
import { raw } from 'hono/html'
import { DataTable } from './components/data-table.js'
import { Layout, type NavKey } from './components/layout.js'
import { ParamsForm, type Field } from './components/params-form.js'
import { withSegmentPicker } from './segment-picker.js'
import { ErrorBox, Loading } from './components/states.js'
import type { PageCtx } from './context.js'
import { shownError } from './errors.js'
import { urlWith } from './params.js'
import { tableCsv, type AnyTable } from './table.js'
import { parseSort, sortParam, sortTable } from './table-sort.js'

export interface ViewKit {
  tables: Record<string, AnyTable>
  /** The table with its CSV link. */
  table(id: string): Child
  csvHref(id: string): string
  ctx: PageCtx
}

/**
 * A report page: parameters from the URL, data from analysis functions, tables defined once for
 * both the page and its CSV downloads. P holds the parsed parameters; `values(p)` writes them back
 * to the URL (defaults included, so a shared link keeps meaning the same view).
 */
export interface PageDef<P, D> {
  nav: NavKey
  title: string
  /** The page's path (the account page's includes the account id). */
  path: (ctx: PageCtx, query: Record<string, string>) => string
  intro?: Child
  fields: Field[]
  parse(query: Record<string, string>, ctx: PageCtx): P
  values(p: P): Record<string, string>
  load(ctx: PageCtx, p: P): Promise<D>
  tables(d: D, p: P): AnyTable[]
  view(d: D, p: P, kit: ViewKit): Child
  /** Text of the loading state. */
  loading?: string
  /**
   * The page's reports take a segment: the page shows the segment picker and its loads read
   * `ctx.segment`. 'accounts': its reports are of accounts, restricted to the segment's accounts.
   */
  segments?: true | 'accounts'
}

const MARK = '<!--tenure-report-->'
const enc = new TextEncoder()

export async function renderHtml(node: Child): Promise<string> {
  return String(await (node as unknown as { toString(): string | Promise<string> }).toString())
}

export const HTML_HEADERS = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 120)
}

/**
 * Renders a page. HTML streams: the shell and a loading state first, the report when computed
 * (CSS hides the loading state then), or the error in its place. `?csv=<table>` answers the CSV.
 */
export async function renderPage<P, D>(pageDef: PageDef<P, D>, pageCtx: PageCtx, query: Record<string, string>): Promise<Response> {
  const { def, ctx } = await withSegmentPicker(pageDef, pageCtx, query)
  const path = def.path(ctx, query)
  const { csv, sort: sortText, ...rest } = query
  const sort = parseSort(sortText)
  let params: P
  try {
    params = def.parse(rest, ctx)
  } catch (err) {
    const e = shownError(err)
    if (csv !== undefined) return Response.json({ error: { code: 'invalid_query', message: e.message, field: e.field } }, { status: e.status })
    const html = await renderHtml(
      <Layout title={def.title} nav={def.nav} project={ctx.project} navKeys={ctx.navKeys}>
        <h1>{def.title}</h1>
        <ParamsForm action={path} fields={def.fields} values={rest} invalid={e.field} />
        <ErrorBox title="These parameters cannot be used" message={e.message} field={e.field} />
      </Layout>,
    )
    return new Response(html, { status: e.status, headers: HTML_HEADERS })
  }
  const values = def.values(params)
  const csvHref = (id: string) => urlWith(path, { ...values, csv: id })

  if (csv !== undefined) {
    try {
      const data = await def.load(ctx, params)
      const found = def.tables(data, params).find((x) => x.id === csv)
      const t = found && sortTable(found, sort)
      if (!t) return Response.json({ error: { code: 'not_found', message: `no table ${csv} on this page`, field: 'csv' } }, { status: 404 })
      const name = safeName([def.nav, t.id, ...Object.values(values)].join('_'))
      return new Response(tableCsv(t), {
        headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}.csv"`, 'cache-control': 'no-store' },
      })
    } catch (err) {
      const e = shownError(err)
      return Response.json({ error: { code: e.status === 500 ? 'internal' : e.status === 404 ? 'not_found' : 'invalid_query', message: e.message, field: e.field } }, { status: e.status })
    }
  }

  const shell = await renderHtml(
    <Layout title={def.title} nav={def.nav} project={ctx.project} navKeys={ctx.navKeys}>
      <h1>{def.title}</h1>
      {def.intro ? <div class="intro">{def.intro}</div> : null}
      {def.fields.length ? <ParamsForm action={path} fields={def.fields} values={values} /> : null}
      <Loading what={def.loading} />
      {raw(MARK)}
    </Layout>,
  )
  const [head, tail] = shell.split(MARK) as [string, string]
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(enc.encode(head))
      let report: string
      try {
        const data = await def.load(ctx, params)
        const tables = Object.fromEntries(def.tables(data, params).map((t) => [t.id, sortTable(t, sort)]))
        const sortHref = (table: string, column: string, dir: 'asc' | 'desc') => urlWith(path, { ...values, sort: sortParam({ table, column, dir }) })
        const kit: ViewKit = {
          tables,
          csvHref: (id) => urlWith(path, { ...values, ...(sort?.table === id ? { sort: sortParam(sort) } : {}), csv: id }),
          ctx,
          table: (id) => (tables[id] ? <DataTable t={tables[id]} csvHref={kit.csvHref(id)} sort={sort?.table === id ? sort : null} sortHref={sortHref} /> : null),
        }
        report = await renderHtml(<div class="report">{def.view(data, params, kit)}</div>)
      } catch (err) {
        const e = shownError(err)
        report = await renderHtml(
          <div class="report" data-error-status={String(e.status)}>
            <ErrorBox message={e.message} field={e.field} />
          </div>,
        )
      }
      controller.enqueue(enc.encode(report + tail))
      controller.close()
    },
  })
  return new Response(body, { status: 200, headers: HTML_HEADERS })
}
