import { accountWorklist, renewalCalendar, type CalendarRow, type Worklist } from '@tenure/analysis'
import { z } from 'zod'
import { ActivityNote } from '../components/activity-note.js'
import { Figures } from '../components/figures.js'
import { fmtMoney, fmtNum } from '../format.js'
import { intIn, parseParams } from '../params.js'
import type { PageDef } from '../render.js'
import { table } from '../table.js'
import { AccountTabs, asOf, asOfField, tabQuery } from './accounts-shared.js'
import { accountColumns } from './worklist.js'

const Params = z.object({ as_of: asOf, days: intIn(1, 3660).default(90) })
type P = z.infer<typeof Params>

/** Renewals due in the next N days (90 by default), soonest first, with health beside each. */
export const renewalCalendarPage: PageDef<P, Worklist & { due: CalendarRow[] }> = {
  nav: 'accounts',
  title: 'Renewal calendar',
  path: () => '/app/accounts/calendar',
  segments: 'accounts',
  fields: [asOfField, { name: 'days', label: 'Days ahead', type: 'number', min: 1, max: 3660, width: 's' }],
  parse: (q) => parseParams(Params, q),
  values: (p) => ({ as_of: p.as_of, days: String(p.days) }),
  async load(ctx, p) {
    // The calendar shows no seat-sharing column: its health report skips looking for it.
    const health = await ctx.health.get(ctx.client, { projectId: ctx.project.id, asOf: p.as_of, seatSharing: false, segment: ctx.segment })
    const list = await accountWorklist(ctx.client, { projectId: ctx.project.id, asOf: p.as_of, health })
    return { ...list, due: renewalCalendar(list, p.days) }
  },
  tables: (d, p) => {
    const c = accountColumns(p, d.currency)
    return [
      table<CalendarRow>({
        id: 'calendar', title: `Renewals due by ${p.days} days after ${p.as_of}`, rows: d.due, empty: 'No renewal is due in this period.',
        highlight: (r) => r.band === 'red',
        columns: [
          c.renewal, c.days, c.account, c.name,
          { key: 'renewal_arr', label: 'ARR due', numeric: true, value: (r) => r.renewalArr, show: (r) => fmtMoney(r.renewalArr, d.currency) },
          c.health, c.band, c.trend, c.temperature, c.action,
        ],
      }),
    ]
  },
  view: (d, p, kit) => {
    const arr = d.due.reduce((s, r) => s + (r.renewalArr ?? 0), 0)
    const atRisk = d.due.filter((r) => r.band === 'red')
    return (
      <>
        <AccountTabs current="calendar" query={tabQuery(p.as_of, kit.ctx.segment)} />
        <ActivityNote activity={d.activity} />
        <Figures label="Renewals due" items={[
          { id: 'due', label: 'Renewals due', value: fmtNum(d.due.length), sub: `next ${p.days} days` },
          { id: 'due-arr', label: 'ARR due', value: fmtMoney(arr, d.currency) },
          { id: 'red', label: 'Due with red health', value: fmtNum(atRisk.length), sub: fmtMoney(atRisk.reduce((s, r) => s + (r.renewalArr ?? 0), 0), d.currency) },
        ]} />
        {kit.table('calendar')}
      </>
    )
  },
}
