import { z } from 'zod'
import { Figures } from '../components/figures.js'
import { LineChart } from '../components/line-chart.js'
import { Note } from '../components/states.js'
import type { PageCtx } from '../context.js'
import { overview, type Overview, type OverviewDay } from '../data/overview.js'
import { fmtNum } from '../format.js'
import { addDays, checkRange, isoDate, parseParams, timeZone, todayIn } from '../params.js'
import type { PageDef } from '../render.js'
import { table } from '../table.js'
import { TZ_FIELD } from '../components/params-form.js'

const Params = z.object({ from: isoDate.optional(), to: isoDate.optional(), tz: timeZone.optional() })

interface P {
  from: string
  to: string
  tz: string
}

/** Loss accounting of this collector process (its counters are not kept per project). */
export interface IngestHealth {
  accepted: number
  inserted: number
  rejected: number
  rejectedByReason: Record<string, number>
  bots: number
  duplicates: number
  rateLimited: number
  refusedSpoolFull: number
  spooled: number
  backlog: number
  failedInserts: number
  spoolRecordsLost: number
  storeUp: boolean
}

interface Data {
  overview: Overview
  ingest: IngestHealth
}

export function ingestHealth(ctx: PageCtx): IngestHealth {
  const snap = ctx.deps.metrics.snapshot()
  const stats = ctx.deps.ingest.stats()
  const c = snap.counters
  return {
    accepted: c.events_accepted,
    inserted: c.events_inserted + c.events_replayed,
    rejected: Object.values(snap.rejected).reduce((s, n) => s + n, 0),
    rejectedByReason: snap.rejected,
    bots: c.events_bots,
    duplicates: c.events_duplicate,
    rateLimited: c.events_rate_limited,
    refusedSpoolFull: c.events_refused_spool_full,
    spooled: c.events_spooled,
    backlog: stats.backlogEvents,
    failedInserts: c.insert_failures,
    spoolRecordsLost: c.spool_records_lost,
    storeUp: stats.storeUp,
  }
}

/** Active people and accounts per day, new people, stored events, and what ingestion dropped. */
export const overviewPage: PageDef<P, Data> = {
  nav: 'overview',
  title: 'Overview',
  path: () => '/app',
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
    return { overview: await overview(ctx.client, { projectId: ctx.project.id, ...p }), ingest: ingestHealth(ctx) }
  },
  tables: ({ overview: o, ingest }) => [
    table<OverviewDay>({
      id: 'daily', title: 'Per day', rows: [...o.days].reverse(), empty: 'No days in the range.',
      columns: [
        { key: 'day', label: 'Day', value: (d) => d.day },
        { key: 'active_users', label: 'Active users', numeric: true, value: (d) => d.activeUsers, show: (d) => fmtNum(d.activeUsers) },
        { key: 'active_accounts', label: 'Active accounts', numeric: true, value: (d) => d.activeAccounts, show: (d) => fmtNum(d.activeAccounts) },
        { key: 'new_users', label: 'New users', numeric: true, value: (d) => d.newUsers, show: (d) => fmtNum(d.newUsers) },
        { key: 'events', label: 'Events stored', numeric: true, value: (d) => d.events, show: (d) => fmtNum(d.events) },
      ],
    }),
    table<{ reason: string; events: number }>({
      id: 'rejected', title: 'Rejected events by reason', rows: Object.entries(ingest.rejectedByReason).map(([reason, events]) => ({ reason, events })), empty: 'No event has been rejected since the collector started.',
      columns: [
        { key: 'reason', label: 'Reason', value: (r) => r.reason, show: (r) => <code>{r.reason}</code> },
        { key: 'events', label: 'Events', numeric: true, value: (r) => r.events, show: (r) => fmtNum(r.events) },
      ],
    }),
  ],
  view: ({ overview: o, ingest }, p, kit) => {
    const hasData = o.totals.events > 0
    return (
      <>
        <section aria-labelledby="h-activity">
          <h2 id="h-activity">Activity, {o.from} to {o.to} ({o.tz})</h2>
          <Figures
            label="Activity totals"
            items={[
              { id: 'active-users', label: 'Active users', value: fmtNum(o.totals.activeUsers), sub: 'distinct people in the range' },
              { id: 'active-accounts', label: 'Active accounts', value: fmtNum(o.totals.activeAccounts) },
              { id: 'new-users', label: 'New users', value: fmtNum(o.totals.newUsers), sub: 'first activity ever in the range' },
              { id: 'events', label: 'Events stored', value: fmtNum(o.totals.events) },
            ]}
          />
          {hasData ? (
            <div class="charts-2">
              <LineChart id="active" title="Active users and accounts per day" summary={`${o.days.length} days.`}
                spec={{ kind: 'time', x: o.days.map((d) => d.day), y: 'int', series: [
                  { label: 'Active users', values: o.days.map((d) => d.activeUsers) },
                  { label: 'Active accounts', values: o.days.map((d) => d.activeAccounts) },
                  { label: 'New users', values: o.days.map((d) => d.newUsers), dash: true },
                ] }} />
              <LineChart id="events" title="Events stored per day" summary={`${fmtNum(o.totals.events)} events.`}
                spec={{ kind: 'time', x: o.days.map((d) => d.day), y: 'int', series: [{ label: 'Events', values: o.days.map((d) => d.events) }] }} />
            </div>
          ) : (
            <Note>No events in this range yet. Add the script tag to your app (see the README), or widen the dates.</Note>
          )}
          {kit.table('daily')}
        </section>
        <section aria-labelledby="h-ingest">
          <h2 id="h-ingest">Can you trust the data?</h2>
          <p class="muted">
            Every event that reached this collector since it started, and where it went. These counters belong to the collector process
            (all its projects), as on <code>/healthz</code>.
          </p>
          <Figures
            label="Ingestion counters"
            items={[
              { id: 'accepted', label: 'Accepted', value: fmtNum(ingest.accepted) },
              { id: 'inserted', label: 'Stored', value: fmtNum(ingest.inserted), sub: `${fmtNum(ingest.backlog)} waiting in the spool` },
              { id: 'rejected', label: 'Rejected (invalid)', value: fmtNum(ingest.rejected) },
              { id: 'bots', label: 'Bots dropped', value: fmtNum(ingest.bots) },
              { id: 'duplicates', label: 'Duplicates dropped', value: fmtNum(ingest.duplicates) },
              { id: 'rate-limited', label: 'Rate-limited', value: fmtNum(ingest.rateLimited) },
              { id: 'spooled', label: 'Written to spool', value: fmtNum(ingest.spooled), sub: `${fmtNum(ingest.refusedSpoolFull)} refused, spool full` },
              { id: 'store', label: 'Store', value: ingest.storeUp ? 'up' : 'down', sub: `${fmtNum(ingest.failedInserts)} failed inserts, ${fmtNum(ingest.spoolRecordsLost)} spool records lost` },
            ]}
          />
          {kit.table('rejected')}
        </section>
      </>
    )
  },
}
