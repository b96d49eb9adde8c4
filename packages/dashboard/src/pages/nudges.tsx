import { getFeature, listFeatures, listNudges, nudgeHistory, nudgeReport, NudgeReportParams, parseParams as parseReportParams, type Nudge, type NudgeMetric, type NudgeReport } from '@tenure/analysis'
import { z } from 'zod'
import { diffInterval, diffText, RateCell } from '../components/comparison.js'
import { ExperimentSection } from '../components/evidence.js'
import { Figures } from '../components/figures.js'
import { TZ_FIELD } from '../components/params-form.js'
import { Note } from '../components/states.js'
import { fmtNum, fmtP, fmtPct, fmtRatio } from '../format.js'
import { intIn, parseParams, timeZone } from '../params.js'
import type { PageDef } from '../render.js'
import { table } from '../table.js'
import { checked, optionalText } from './retention-shared.js'
import { ActivityNote } from '../components/activity-note.js'

interface ListData {
  nudges: Nudge[]
  featureNames: Map<string, string>
}

/** A POST button; forms keep start/stop working without script and behind the CSRF check. */
const Action = (props: { href: string; label: string; kind?: string }) => (
  <form method="post" action={props.href} class="inline-form">
    <button type="submit" class={props.kind ?? 'secondary'}>{props.label}</button>
  </form>
)

/** Start, pause, resume, edit and archive, as the nudge's state allows. */
function NudgeActions(props: { n: Nudge; long?: boolean }) {
  const n = props.n
  const href = (verb: string) => `/app/nudges/${encodeURIComponent(n.id)}/${verb}`
  const word = (s: string) => (props.long ? `${s} nudge` : s)
  if (n.status === 'archived') return <span class="muted">archived</span>
  return (
    <>
      {n.status === 'active'
        ? <Action href={href('stop')} label={word('Stop')} kind="danger" />
        : <Action href={href('start')} label={word(n.status === 'stopped' ? 'Resume' : 'Start')} kind={props.long ? '' : undefined} />}
      <a href={href('edit')}>Edit</a>
      <Action href={href('archive')} label={word('Archive')} />
    </>
  )
}

/** Every nudge with its state, start/pause/resume/archive buttons and a link to its report. */
export const nudgesPage: PageDef<{ started?: string; stopped?: string; archived?: string }, ListData> = {
  nav: 'nudges',
  title: 'Nudges',
  path: () => '/app/nudges',
  intro: <p>A nudge points new users to a feature they have not used. A share of eligible users is held out and never sees it, so each nudge's report shows what it changed.</p>,
  fields: [],
  parse: (q) => parseParams(z.object({ started: optionalText(64), stopped: optionalText(64), archived: optionalText(64) }), q),
  values: () => ({}),
  async load(ctx) {
    const [nudges, features] = await Promise.all([listNudges(ctx.client, ctx.project.id), listFeatures(ctx.client, ctx.project.id)])
    return { nudges, featureNames: new Map(features.map((f) => [f.id, f.name])) }
  },
  tables: (d) => [
    table<Nudge>({
      id: 'nudges', title: 'Nudges', rows: d.nudges, empty: 'No nudges yet.',
      columns: [
        { key: 'name', label: 'Nudge', value: (n) => n.name, show: (n) => <a href={`/app/nudges/${encodeURIComponent(n.id)}`}>{n.name}</a> },
        { key: 'id', label: 'Id', value: (n) => n.id, show: (n) => <code>{n.id}</code> },
        { key: 'feature', label: 'Steers to', value: (n) => n.featureId, show: (n) => d.featureNames.get(n.featureId) ?? n.featureId },
        { key: 'status', label: 'Status', value: (n) => n.status, show: (n) => <span class={`tag ${n.status === 'active' ? 'running' : n.status}`}>{n.status}</span> },
        { key: 'placement', label: 'Where', value: (n) => n.placement.type, show: (n) => (n.placement.type === 'tooltip' ? `tooltip on ${n.placement.selector}` : `banner (${n.placement.position})`) },
        { key: 'holdout_share', label: 'Held out', numeric: true, value: (n) => n.holdoutShare, show: (n) => fmtPct(n.holdoutShare, 0) },
        { key: 'started_at', label: 'Started', value: (n) => n.startedAt, show: (n) => n.startedAt?.slice(0, 16).replace('T', ' ') ?? '—' },
        { key: 'stopped_at', label: 'Stopped', value: (n) => n.stoppedAt, show: (n) => n.stoppedAt?.slice(0, 16).replace('T', ' ') ?? '—' },
        {
          key: 'actions', label: 'Actions', pageOnly: true, value: () => null,
          show: (n) => (
            <div class="actions-cell">
              <NudgeActions n={n} />
              <a href={`/app/nudges/${encodeURIComponent(n.id)}`}>Report</a>
            </div>
          ),
        },
      ],
    }),
  ],
  view: (_d, p, kit) => (
    <>
      {p.started ? <Note>Nudge <code>{p.started}</code> is live: eligible users start seeing it.</Note> : null}
      {p.stopped ? <Note>Nudge <code>{p.stopped}</code> is stopped (paused): resume it at any time; its report stays.</Note> : null}
      {p.archived ? <Note>Nudge <code>{p.archived}</code> is archived: off every page for good; its report and history stay at <a href={`/app/nudges/${encodeURIComponent(p.archived)}`}>its page</a>.</Note> : null}
      <p><a class="button-link" href="/app/nudges/new">New nudge</a></p>
      {kit.table('nudges')}
    </>
  ),
}

const ReportQuery = z.object({
  as_of: z.string().max(40).optional(),
  tz: timeZone.optional(),
  adoption_days: intIn(1, 90).default(7),
  retention_day: intIn(0, 3650).default(7),
  mode: z.enum(['on', 'on_or_after']).default('on'),
  min_n: intIn(1, 1_000_000).default(30),
})
type ReportP = z.infer<typeof ReportQuery> & { id: string; tz: string }

function metricRows(r: NudgeReport & { featureName?: string }) {
  return [
    { metric: `Adopted ${r.featureName || r.nudge.featureId} within ${r.adoptionDays} days`, m: r.adoption },
    { metric: `Day-${r.retentionDay} retention`, m: r.retention },
  ]
}
type MetricRow = ReturnType<typeof metricRows>[number]

function progressRows(r: NudgeReport) {
  return [
    { metric: `Adopted ${r.nudge.featureId} within ${r.adoptionDays} days`, p: r.progress.adoption },
    { metric: `Day-${r.retentionDay} retention`, p: r.progress.retention },
  ]
}
type ProgressRow = ReturnType<typeof progressRows>[number]

type ReportData = NudgeReport & { history: Nudge[]; featureName?: string | undefined }

/** One nudge's report: shown vs held-out users, adoption and retention with intervals, what is missing, its versions. */
export function nudgeReportPage(id: string): PageDef<ReportP, ReportData> {
  const input = (p: ReportP) => ({ nudgeId: p.id, ...(p.as_of ? { asOf: p.as_of } : {}), timezone: p.tz, adoptionDays: p.adoption_days, retentionDay: p.retention_day, mode: p.mode, minN: p.min_n })
  return {
    nav: 'nudges',
    title: `Nudge ${id}`,
    path: () => `/app/nudges/${encodeURIComponent(id)}`,
    segments: true,
    fields: [
      { name: 'as_of', label: 'As of', type: 'date' },
      TZ_FIELD,
      { name: 'adoption_days', label: 'Adoption days', type: 'number', min: 1, max: 90, width: 's' },
      { name: 'retention_day', label: 'Retention day N', type: 'number', min: 0, max: 3650, width: 's' },
      { name: 'mode', label: 'Retained', type: 'select', options: [{ value: 'on', label: 'on day N' }, { value: 'on_or_after', label: 'on or after day N' }] },
      { name: 'min_n', label: 'Min users per arm', type: 'number', min: 1, width: 's' },
    ],
    parse(q, ctx) {
      const raw = parseParams(ReportQuery, q)
      const p = { ...raw, id, tz: raw.tz ?? ctx.project.timezone }
      checked(() => parseReportParams(NudgeReportParams, input(p)))
      return p
    },
    values: (p) => ({ as_of: p.as_of ?? '', tz: p.tz, adoption_days: String(p.adoption_days), retention_day: String(p.retention_day), mode: p.mode, min_n: String(p.min_n) }),
    async load(ctx, p) {
      const [report, history] = await Promise.all([nudgeReport(ctx.client, { project: ctx.project.id, ...input(p), segment: ctx.segment }), nudgeHistory(ctx.client, ctx.project.id, id)])
      // Names where they exist: the feature the nudge steers to, by its name.
      return { ...report, history: history.reverse(), featureName: (await getFeature(ctx.client, ctx.project.id, report.nudge.featureId))?.name }
    },
    tables: (r) => [
      table<MetricRow>({
        id: 'lift', title: 'Shown vs held out', rows: metricRows(r), empty: '',
        columns: [
          { key: 'metric', label: 'Metric', value: (x) => x.metric },
          { key: 'n_shown', label: 'n shown', numeric: true, value: (x) => x.m.shown.n, show: (x) => fmtNum(x.m.shown.n) },
          { key: 'rate_shown', label: 'Shown (95% CI)', numeric: true, value: (x) => x.m.shown.rate, show: (x) => <RateCell p={x.m.shown} /> },
          { key: 'rate_shown_low', label: 'low', csvOnly: true, value: (x) => x.m.shown.low },
          { key: 'rate_shown_high', label: 'high', csvOnly: true, value: (x) => x.m.shown.high },
          { key: 'n_held_out', label: 'n held out', numeric: true, value: (x) => x.m.heldOut.n, show: (x) => fmtNum(x.m.heldOut.n) },
          { key: 'rate_held_out', label: 'Held out (95% CI)', numeric: true, value: (x) => x.m.heldOut.rate, show: (x) => <RateCell p={x.m.heldOut} /> },
          { key: 'rate_held_out_low', label: 'low', csvOnly: true, value: (x) => x.m.heldOut.low },
          { key: 'rate_held_out_high', label: 'high', csvOnly: true, value: (x) => x.m.heldOut.high },
          { key: 'difference', label: 'Difference (95% CI)', numeric: true, value: (x) => x.m.difference?.diff ?? null, show: (x) => <DiffCell m={x.m} /> },
          { key: 'difference_low', label: 'low', csvOnly: true, value: (x) => x.m.difference?.low ?? null },
          { key: 'difference_high', label: 'high', csvOnly: true, value: (x) => x.m.difference?.high ?? null },
          { key: 'lift', label: 'Lift', numeric: true, value: (x) => x.m.lift, show: (x) => fmtRatio(x.m.lift) },
          { key: 'p', label: 'p', numeric: true, value: (x) => x.m.p, show: (x) => fmtP(x.m.p) },
          { key: 'censored_shown', label: 'Not yet measurable', numeric: true, value: (x) => x.m.censored.shown + x.m.censored.heldOut, show: (x) => `${fmtNum(x.m.censored.shown)} / ${fmtNum(x.m.censored.heldOut)}` },
          { key: 'enough_data', label: 'Enough data', value: (x) => x.m.enoughData, show: (x) => (x.m.enoughData ? 'yes' : <span class="tag nodata">not enough data yet</span>) },
        ],
      }),
      table<ProgressRow>({
        id: 'progress', title: 'Until lift is measurable', rows: progressRows(r), empty: '',
        columns: [
          { key: 'metric', label: 'Metric', value: (x) => x.metric },
          { key: 'more_shown', label: 'More shown users needed', numeric: true, value: (x) => x.p.shown.moreUsers, show: (x) => fmtNum(x.p.shown.moreUsers) },
          { key: 'more_held_out', label: 'More held-out users needed', numeric: true, value: (x) => x.p.heldOut.moreUsers, show: (x) => fmtNum(x.p.heldOut.moreUsers) },
          { key: 'waiting', label: 'Waiting for their window', numeric: true, value: (x) => x.p.shown.waiting + x.p.heldOut.waiting, show: (x) => `${fmtNum(x.p.shown.waiting)} / ${fmtNum(x.p.heldOut.waiting)}` },
          { key: 'per_day', label: 'Users a day (shown / held out)', value: (x) => x.p.shown.perDay, show: (x) => `${x.p.shown.perDay === null ? '—' : fmtNum(x.p.shown.perDay, 1)} / ${x.p.heldOut.perDay === null ? '—' : fmtNum(x.p.heldOut.perDay, 1)}` },
          { key: 'eta', label: 'Measurable about', value: (x) => x.p.etaDate, show: (x) => (x.p.enough ? 'now' : x.p.etaDate ? `${x.p.etaDate} (${fmtNum(x.p.etaDays ?? 0)} days)` : 'no estimate yet') },
        ],
      }),
      table<Nudge>({
        id: 'history', title: 'Versions', rows: r.history, empty: '',
        columns: [
          { key: 'version', label: 'Version', numeric: true, value: (n) => n.version },
          { key: 'updated_at', label: 'At (UTC)', value: (n) => n.updatedAt, show: (n) => n.updatedAt.slice(0, 16).replace('T', ' ') },
          { key: 'status', label: 'Status', value: (n) => n.status },
          { key: 'name', label: 'Name', value: (n) => n.name },
          { key: 'audience', label: 'Audience', value: (n) => JSON.stringify(n.audience), show: (n) => `first ${n.audience.firstDays} days${n.audience.pages.length ? `, ${n.audience.pages.join(', ')}` : ''}${n.audience.anonymous ? ', anonymous too' : ', signed-in users'}` },
          { key: 'copy', label: 'Says', value: (n) => n.copy.body },
        ],
      }),
    ],
    view: (r, _p, kit) => {
      const n = r.nudge
      return (
        <>
          <h2>{n.name} <span class={`tag ${n.status === 'active' ? 'running' : n.status}`}>{n.status}</span></h2>
          <ActivityNote activity={r.activity} />
          <p class="muted">
            Steers to {r.featureName ? <>{r.featureName} (<code>{n.featureId}</code>)</> : <code>{n.featureId}</code>}; {fmtPct(n.holdoutShare, 0)} held out. {n.startedAt ? `Started ${n.startedAt.slice(0, 16).replace('T', ' ')} UTC` : 'Not started yet'}
            {n.stoppedAt ? `, stopped ${n.stoppedAt.slice(0, 16).replace('T', ' ')} UTC` : ''}.
          </p>
          <div class="row-actions">
            <NudgeActions n={r.history[0]!} long />
          </div>
          <Note kind={r.status === 'ok' ? 'info' : 'warn'}>{r.message}</Note>
          <Figures
            label="Who saw it"
            items={[
              { id: 'eligible', label: 'Eligible users', value: fmtNum(r.counts.eligible) },
              { id: 'shown', label: 'Shown', value: fmtNum(r.counts.shown) },
              { id: 'held-out', label: 'Held out', value: fmtNum(r.counts.heldOut), sub: r.assignment.observedHeldOut !== null ? `${fmtPct(r.assignment.observedHeldOut)} observed, ${fmtPct(r.assignment.expectedHeldOut)} expected` : undefined },
              { id: 'clicked', label: 'Clicked', value: fmtNum(r.counts.clicked) },
              { id: 'dismissed', label: 'Dismissed', value: fmtNum(r.counts.dismissed) },
            ]}
          />
          {kit.table('lift')}
          {r.status === 'ok' ? null : kit.table('progress')}
          {kit.table('history')}
          <ExperimentSection x={r.experiment} retentionDay={r.retentionDay} />
          {r.assignment.p !== null && r.assignment.p < 0.001 ? (
            <Note kind="warn">The held-out share differs from the configured one more than chance allows (p {fmtP(r.assignment.p)}): check the assignment before trusting the lift.</Note>
          ) : null}
          {r.counts.conflicting ? <Note kind="warn">{fmtNum(r.counts.conflicting)} users were recorded in both arms and are left out.</Note> : null}
        </>
      )
    },
  }
}

function DiffCell(props: { m: NudgeMetric }) {
  const d = props.m.difference
  if (!d || d.diff === null) return <>—</>
  return (
    <>
      {diffText(d.diff)}
      <small class="ci">{diffInterval(d.low, d.high)}</small>
    </>
  )
}
