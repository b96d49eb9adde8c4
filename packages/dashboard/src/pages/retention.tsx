import { listFeatures, listProperties, parseParams as parseReportParams, retentionBreakdown, retentionReport, RetentionParams, type FeatureDefinition, type RetentionBreakdown, type RetentionCohort, type RetentionReport } from '@tenure/analysis'
import type { Child } from 'hono/jsx'
import { z } from 'zod'
import { LineChart } from '../components/line-chart.js'
import { TZ_FIELD, type Field } from '../components/params-form.js'
import { Figures } from '../components/figures.js'
import { Note } from '../components/states.js'
import { fmtNum, fmtPct } from '../format.js'
import { addDays, intIn, isoDate, parseParams, ParamError, timeZone, todayIn, urlWith } from '../params.js'
import type { PageDef } from '../render.js'
import { table } from '../table.js'
import { checked, countCol, dayColumns, optionalText, RetentionTabs } from './retention-shared.js'

const Query = z.object({
  from: isoDate.optional(),
  to: isoDate.optional(),
  tz: timeZone.optional(),
  days: z.string().trim().max(400).default('0-14'),
  cohort: z.enum(['day', 'week', 'month']).default('week'),
  mode: z.enum(['on', 'on_or_after']).default('on'),
  start: z.enum(['first', 'recurring']).default('first'),
  start_feature: optionalText(64),
  return_feature: optionalText(64),
  breakdown: optionalText(140),
  min_n: intIn(1, 1_000_000).default(30),
})
type P = z.infer<typeof Query> & { from: string; to: string; tz: string }

interface Data {
  report: RetentionReport
  features: FeatureDefinition[]
  /** Each value's retention, when the page is broken down by a property. */
  breakdown: RetentionBreakdown | null
}

const featureOptions = (label: string) => [{ value: '', label }]

/** Day-N retention by cohort: the table as a heat map, and the curves; optionally each value of a property's. */
export function retentionPage(features: FeatureDefinition[], properties: readonly string[] = []): PageDef<P, Data> {
  const opts = features.map((f) => ({ value: f.id, label: f.name }))
  const fields: Field[] = [
    { name: 'from', label: 'Starts from', type: 'date' },
    { name: 'to', label: 'Starts to', type: 'date' },
    TZ_FIELD,
    { name: 'days', label: 'Days N', type: 'text', width: 's', placeholder: '0-14 or 1,7,30' },
    { name: 'cohort', label: 'Cohort size', type: 'select', options: [{ value: 'day', label: 'Day' }, { value: 'week', label: 'Week' }, { value: 'month', label: 'Month' }] },
    { name: 'mode', label: 'Retained', type: 'select', options: [{ value: 'on', label: 'on day N' }, { value: 'on_or_after', label: 'on or after day N' }] },
    { name: 'start', label: 'Start', type: 'select', options: [{ value: 'first', label: 'First time' }, { value: 'recurring', label: 'Every time' }] },
    { name: 'start_feature', label: 'Start event', type: 'select', options: [...featureOptions('Any activity (new users)'), ...opts] },
    { name: 'return_feature', label: 'Return event', type: 'select', options: [...featureOptions('Any activity'), ...opts] },
    { name: 'breakdown', label: 'Break down by', type: 'select', width: 'l', options: [{ value: '', label: 'Nothing' }, ...properties.map((n) => ({ value: n, label: n }))] },
    { name: 'min_n', label: 'Smallest group', type: 'number', min: 1, max: 1_000_000, width: 's' },
  ]
  return {
    nav: 'retention',
    title: 'Retention',
    path: () => '/app/retention',
    segments: true,
    fields,
    parse(q, ctx) {
      const raw = parseParams(Query, q)
      const tz = raw.tz ?? ctx.project.timezone
      const to = raw.to ?? addDays(todayIn(tz), -1)
      const from = raw.from ?? addDays(to, -55)
      const p = { ...raw, from, to, tz }
      checked(() => parseReportParams(RetentionParams, toInput(p)))
      // Only a stored property: the select offers nothing else, and a typed URL gets the same answer.
      if (p.breakdown && !properties.includes(p.breakdown)) throw new ParamError(`no stored property ${p.breakdown}`, 'breakdown')
      return p
    },
    values: (p) => ({
      from: p.from, to: p.to, tz: p.tz, days: p.days, cohort: p.cohort, mode: p.mode, start: p.start, start_feature: p.start_feature ?? '', return_feature: p.return_feature ?? '',
      breakdown: p.breakdown ?? '', min_n: String(p.min_n),
    }),
    async load(ctx, p) {
      const input = { project: ctx.project.id, ...toInput(p), segment: ctx.segment }
      if (!p.breakdown) return { report: await retentionReport(ctx.client, input), features, breakdown: null }
      const breakdown = await retentionBreakdown(ctx.client, { ...input, breakdown: p.breakdown, minN: p.min_n })
      return { report: breakdown.overall, features, breakdown }
    },
    tables: ({ report: r, breakdown: b }) => [
      table<RetentionCohort>({
        id: 'cohorts', title: `Retention by ${r.cohortBy} of start`, rows: r.cohorts.length ? [r.total, ...[...r.cohorts].reverse()] : [],
        empty: 'Nobody started in this window.', highlight: (c) => c.cohort === 'all',
        columns: [
          { key: 'cohort', label: 'Cohort', value: (c) => c.cohort, show: (c) => (c.cohort === 'all' ? <strong>All cohorts</strong> : c.cohort) },
          countCol<RetentionCohort>('size', r.start === 'first' ? 'Users' : 'Starts', (c) => c.size),
          ...dayColumns<RetentionCohort>(r.days, (c) => c.cells),
        ],
      }),
      ...(b ? [groupsTable(b)] : []),
    ],
    view: ({ report: r, features: fs, breakdown: b }, p, kit) => {
      const name = (id: string | null, fallback: string) => (id ? (fs.find((f) => f.id === id)?.name ?? id) : fallback)
      const recent = r.cohorts.slice(-8)
      const lastDay = r.total.cells.at(-1)
      return (
        <>
          <RetentionTabs current="cohorts" query={urlWith('', { from: p.from, to: p.to, tz: p.tz, ...(kit.ctx.segment ? { segment: kit.ctx.segment } : {}) })} />
          <p class="muted">
            Start: {name(r.startFeature, 'first activity')} ({r.start === 'first' ? 'first time' : 'every time'}); return: {name(r.returnFeature, 'any activity')}, {r.mode === 'on' ? 'on exactly day N' : 'on day N or later'}.
            Calendar days in {r.timezone}; days from {r.asOfDay} on are not over and are left out (censored, not lost).
          </p>
          <Figures
            label="Retention totals"
            items={[
              { id: 'cohort-size', label: r.start === 'first' ? 'Users who started' : 'Starts', value: fmtNum(r.total.size), sub: `${r.from} to ${r.to}` },
              ...(lastDay ? [{ id: `day-${lastDay.n}`, label: `Day ${lastDay.n} retention`, value: fmtPct(lastDay.rate), sub: `${fmtNum(lastDay.retained)} of ${fmtNum(lastDay.eligible)}; ${fmtNum(lastDay.censored)} not yet at day ${lastDay.n}` }] : []),
            ]}
          />
          {r.cohorts.length ? (
            <LineChart
              id="curves" title="Retention curves" summary={`All cohorts and the ${recent.length} most recent ones.`}
              spec={{
                kind: 'index', x: r.days, y: 'pct', xLabel: 'Day N',
                series: [
                  { label: 'All cohorts', values: r.total.cells.map((c) => c.rate), color: '#0f172a' },
                  ...recent.map((c) => ({ label: c.cohort, values: c.cells.map((x) => x.rate) })),
                ],
              }}
            />
          ) : null}
          {kit.table('cohorts')}
          <Note>Hover a cell for the counts behind its rate; the CSV has them for every cell.</Note>
          {b ? <BreakdownView b={b} table={kit.table('groups')} /> : null}
        </>
      )
    },
  }
}

type RetentionBreakdownGroup = RetentionBreakdown['none']

/** The groups of a breakdown, the people without a value last. */
const groupRows = (b: RetentionBreakdown): RetentionBreakdownGroup[] => [...b.groups, b.none]

function groupsTable(b: RetentionBreakdown) {
  const r = b.overall
  return table<RetentionBreakdownGroup>({
    id: 'groups', title: `Retention by ${b.property}`, rows: groupRows(b), empty: 'Nobody has a value of this property.',
    columns: [
      { key: 'value', label: b.property, value: (g) => g.value, show: (g) => (g === b.none ? <em>{g.value}</em> : g.value) },
      countCol<RetentionBreakdownGroup>('size', r.start === 'first' ? 'Users' : 'Starts', (g) => g.report.total.size),
      ...dayColumns<RetentionBreakdownGroup>(r.days, (g) => g.report.total.cells),
      {
        key: 'status', label: 'Data', value: (g) => g.status,
        show: (g) => (g.status === 'ok' ? 'enough' : <span class="tag nodata" data-status="not_enough_data">not enough data</span>),
      },
    ],
  })
}

/** Each group's curve beside everyone's; groups below the smallest size are listed, not drawn. */
function BreakdownView(props: { b: RetentionBreakdown; table: Child }) {
  const { b } = props
  const drawn = groupRows(b).filter((g) => g.status === 'ok' && g.report.total.size > 0)
  const thin = groupRows(b).filter((g) => g.status === 'not_enough_data').length
  return (
    <section aria-labelledby="h-breakdown">
      <h2 id="h-breakdown">By {b.property}</h2>
      <p class="muted">
        {b.note} Smallest group: {fmtNum(b.minN)} {b.overall.start === 'first' ? 'users' : 'starts'}.
        {thin ? ` ${thin} of ${groupRows(b).length} groups have fewer and are marked "not enough data"; their rates are shown but not drawn.` : ''}
      </p>
      {drawn.length ? (
        <LineChart
          id="group-curves" title={`Retention curves by ${b.property}`} summary={`Everyone and ${drawn.length} groups with enough data.`}
          spec={{
            kind: 'index', x: b.overall.days, y: 'pct', xLabel: 'Day N',
            series: [
              { label: 'Everyone', values: b.overall.total.cells.map((c) => c.rate), color: '#0f172a' },
              ...drawn.map((g) => ({ label: g.value, values: g.report.total.cells.map((c) => c.rate) })),
            ],
          }}
        />
      ) : null}
      {props.table}
    </section>
  )
}

function toInput(p: P): RetentionParams {
  return {
    from: p.from, to: p.to, timezone: p.tz, days: p.days, cohort: p.cohort, mode: p.mode, start: p.start,
    ...(p.start_feature ? { startFeature: p.start_feature } : {}), ...(p.return_feature ? { returnFeature: p.return_feature } : {}),
  }
}

/** The page with the project's features and stored properties in its selects. */
export async function loadRetentionPage(ctx: { client: Parameters<typeof listFeatures>[0]; project: { id: string } }): Promise<PageDef<P, Data>> {
  const [features, properties] = await Promise.all([listFeatures(ctx.client, ctx.project.id), listProperties(ctx.client, ctx.project.id)])
  return retentionPage(features, properties.map((p) => p.name))
}
