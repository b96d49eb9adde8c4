import { rollupCoverage, type RollupCoverage } from '@tenure/analysis'
import { z } from 'zod'
import { ActivityNote, RollupJobNote } from '../components/activity-note.js'
import { Figures } from '../components/figures.js'
import { LineChart } from '../components/line-chart.js'
import { Note } from '../components/states.js'
import { overview, type Overview, type OverviewDay } from '../data/overview.js'
import { fmtNum, fmtPct } from '../format.js'
import { addDays, checkRange, isoDate, parseParams, timeZone, todayIn } from '../params.js'
import type { PageDef } from '../render.js'
import { table } from '../table.js'
import type { CollectorHealth, IngestCounts, RollupJobStatus } from '../deps.js'
import { TZ_FIELD } from '../components/params-form.js'

const MIB = 1024 * 1024

const Params = z.object({ from: isoDate.optional(), to: isoDate.optional(), tz: timeZone.optional() })

interface P {
  from: string
  to: string
  tz: string
}

/** This project's ingestion over the range, and its events acknowledged but not stored yet. */
export interface ProjectIngest extends IngestCounts {
  backlog: number
}

interface Data {
  overview: Overview
  ingest: ProjectIngest
  collector: CollectorHealth
  /** The rollup backfill job while it waits or runs, with this project's share of it; null otherwise. */
  rollup: { job: RollupJobStatus; coverage: RollupCoverage } | null
}

/** Active people and accounts per day, new people, stored events, and what ingestion dropped. */
export const overviewPage: PageDef<P, Data> = {
  nav: 'overview',
  title: 'Overview',
  path: () => '/app',
  // People and accounts take the segment; stored events and ingestion are the project's whatever it is.
  segments: true,
  fields: [
    { name: 'from', label: 'From', type: 'date' },
    { name: 'to', label: 'To', type: 'date' },
    TZ_FIELD,
  ],
  parse(q, ctx) {
    const raw = parseParams(Params, q)
    const tz = raw.tz ?? ctx.project.timezone
    const to = raw.to ?? todayIn(tz)
    const from = raw.from ?? addDays(to, -27)
    checkRange(from, to, 731)
    return { from, to, tz }
  },
  values: (p) => ({ from: p.from, to: p.to, tz: p.tz }),
  async load(ctx, p) {
    const projectId = ctx.project.id
    const job = ctx.deps.rollupJob?.()
    const active = job && (job.state === 'running' || job.state === 'waiting') ? job : null
    const [o, counts, coverage] = await Promise.all([
      overview(ctx.client, { projectId, ...p, segment: ctx.segment }),
      // Counters are kept per UTC day; the range's dates are taken as UTC days.
      ctx.deps.ingest.projectCounts(projectId, p.from, p.to),
      active ? rollupCoverage(ctx.client, projectId) : null,
    ])
    return {
      overview: o,
      ingest: { ...counts, backlog: ctx.deps.ingest.backlogOf(projectId) },
      collector: ctx.deps.ingest.health(),
      // Shown while this project waits for the job, or while the job works on some project; a new
      // data folder, with nothing to add, shows nothing.
      rollup: active && coverage && (!coverage.complete || (active.state === 'running' && active.project !== null)) ? { job: active, coverage } : null,
    }
  },
  tables: ({ overview: o, ingest }) => [
    table<OverviewDay>({
      id: 'daily', title: 'Per day', rows: [...o.days].reverse(), empty: 'No days in the range.',
      note: o.to === todayIn(o.tz) ? <>{o.to} is today: its counts are partial until the day ends.</> : undefined,
      columns: [
        { key: 'day', label: 'Day', value: (d) => d.day },
        { key: 'active_users', label: 'Active users', numeric: true, value: (d) => d.activeUsers, show: (d) => fmtNum(d.activeUsers) },
        { key: 'active_accounts', label: 'Active accounts', numeric: true, value: (d) => d.activeAccounts, show: (d) => fmtNum(d.activeAccounts) },
        { key: 'new_users', label: 'New users', numeric: true, value: (d) => d.newUsers, show: (d) => fmtNum(d.newUsers) },
        { key: 'events', label: o.segment ? 'Events stored (whole project)' : 'Events stored', numeric: true, value: (d) => d.events, show: (d) => fmtNum(d.events) },
      ],
    }),
    table<{ reason: string; events: number }>({
      id: 'rejected', title: 'Rejected events by reason', rows: Object.entries(ingest.rejectedByReason).map(([reason, events]) => ({ reason, events })), empty: 'No event of this project was rejected in the range.',
      columns: [
        { key: 'reason', label: 'Reason', value: (r) => r.reason, show: (r) => <code>{r.reason}</code> },
        { key: 'events', label: 'Events', numeric: true, value: (r) => r.events, show: (r) => fmtNum(r.events) },
      ],
    }),
  ],
  view: ({ overview: o, ingest, collector, rollup }, p, kit) => {
    const hasData = o.totals.events > 0
    const partial = o.to === todayIn(o.tz)
    const projectWide = o.segment ? 'every stored event of the project, not only the segment\'s' : undefined
    return (
      <>
        {rollup ? <RollupJobNote job={rollup.job} coverage={rollup.coverage} projectId={kit.ctx.project.id} /> : <ActivityNote activity={o.activity} />}
        <section aria-labelledby="h-activity">
          <h2 id="h-activity">Activity, {o.from} to {o.to} ({o.tz})</h2>
          <Figures
            label="Activity totals"
            items={[
              { id: 'active-users', label: 'Active users', value: fmtNum(o.totals.activeUsers), sub: 'distinct people in the range' },
              { id: 'active-accounts', label: 'Active accounts', value: fmtNum(o.totals.activeAccounts) },
              { id: 'new-users', label: 'New users', value: fmtNum(o.totals.newUsers), sub: 'first activity ever in the range' },
              { id: 'events', label: 'Events stored', value: fmtNum(o.totals.events), ...(projectWide ? { sub: projectWide } : {}) },
            ]}
          />
          {hasData ? (
            <div class="charts-2">
              <LineChart id="active" title="Active users and accounts per day" summary={`${o.days.length} days.`}
                spec={{ kind: 'time', x: o.days.map((d) => d.day), y: 'int', partialLast: partial, series: [
                  { label: 'Active users', values: o.days.map((d) => d.activeUsers) },
                  { label: 'Active accounts', values: o.days.map((d) => d.activeAccounts) },
                ] }} />
              {/* New users are a few a day beside hundreds active: their own axis keeps them readable. */}
              <LineChart id="new-users" title="New users per day" summary={`${fmtNum(o.totals.newUsers)} new users.`}
                spec={{ kind: 'time', x: o.days.map((d) => d.day), y: 'int', partialLast: partial, series: [{ label: 'New users', values: o.days.map((d) => d.newUsers) }] }} />
              <LineChart id="events" title={o.segment ? 'Events stored per day (whole project)' : 'Events stored per day'} summary={`${fmtNum(o.totals.events)} events.`}
                spec={{ kind: 'time', x: o.days.map((d) => d.day), y: 'int', partialLast: partial, series: [{ label: 'Events', values: o.days.map((d) => d.events) }] }} />
            </div>
          ) : (
            <Note>No events in this range yet. Add the script tag to your app (see the README), or widen the dates.</Note>
          )}
          {kit.table('daily')}
        </section>
        <section aria-labelledby="h-ingest">
          <h2 id="h-ingest">Can you trust the data?</h2>
          <p class="muted">
            Every event this project sent on UTC days {o.from} to {o.to}, and where it went. Stored counts inserts: a replay from the
            spool may insert an event again (the store keeps one copy), so Stored can exceed Accepted.
          </p>
          <Figures
            label="Ingestion counters of this project"
            items={[
              { id: 'accepted', label: 'Accepted', value: fmtNum(ingest.accepted) },
              { id: 'inserted', label: 'Stored', value: fmtNum(ingest.stored), sub: `${fmtNum(ingest.replayed)} of them replayed from the spool` },
              { id: 'backlog', label: 'Waiting', value: fmtNum(ingest.backlog), sub: 'acknowledged, not stored yet' },
              { id: 'rejected', label: 'Rejected (invalid)', value: fmtNum(ingest.rejected) },
              { id: 'bots', label: 'Bots dropped', value: fmtNum(ingest.bots) },
              { id: 'duplicates', label: 'Duplicates dropped', value: fmtNum(ingest.duplicates) },
              { id: 'rate-limited', label: 'Rate-limited', value: fmtNum(ingest.rateLimited) },
              { id: 'spooled', label: 'Written to spool', value: fmtNum(ingest.spooled), sub: `${fmtNum(ingest.refusedSpoolFull)} refused, spool full` },
              { id: 'failed', label: 'In failed inserts', value: fmtNum(ingest.failed), sub: 'kept in the spool and retried' },
              { id: 'quarantined', label: 'Quarantined', value: fmtNum(ingest.quarantined), sub: 'refused by the store; listed at GET /v1/quarantine' },
            ]}
          />
          {kit.table('rejected')}
          <h3>This collector</h3>
          <p class="muted">Shared by every project this collector serves.</p>
          <Figures
            label="Collector state"
            items={[
              { id: 'store', label: 'Store', value: collector.storeUp ? 'up' : 'down', sub: `${fmtNum(collector.failedInserts)} failed inserts since the collector started` },
              {
                id: 'spool', label: 'Spool', value: fmtPct(collector.spoolMaxBytes ? collector.spoolBytes / collector.spoolMaxBytes : 0),
                sub: `${fmtNum(collector.spoolBytes / MIB, 1)} of ${fmtNum(collector.spoolMaxBytes / MIB, 1)} MiB used, ${fmtNum(collector.spoolRecordsLost)} records lost since the collector started`,
              },
            ]}
          />
        </section>
      </>
    )
  },
}
