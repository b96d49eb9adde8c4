import { accountWorklist, filterWorklist, WORKLIST_SORTS, WorklistFilterQuery, type Worklist, type WorklistRow } from '@tenure/analysis'
import { z } from 'zod'
import { ActivityNote } from '../components/activity-note.js'
import { fmtMoney, fmtNum } from '../format.js'
import { parseParams } from '../params.js'
import type { PageDef } from '../render.js'
import { table } from '../table.js'
import { AccountLink, AccountTabs, asOf, asOfField, tabQuery } from './accounts-shared.js'

// `by`, not `sort`: `sort` is every page's table-heading sort (render.tsx).
const Params = WorklistFilterQuery.omit({ sort: true }).extend({ as_of: asOf, by: WorklistFilterQuery.shape.sort })
type P = z.infer<typeof Params>

const any = { value: '', label: 'Any' }
export const BAND_TEXT = { red: 'red', yellow: 'yellow', green: 'green' } as const
/** A band's words; none while the score is not predictive. */
export const bandText = (band: keyof typeof BAND_TEXT | null): string => (band ? BAND_TEXT[band] : 'not predictive yet')

/** The accounts columns shared by the worklist and the renewal calendar. */
export function accountColumns(p: { as_of: string }, cur: string | null) {
  return {
    account: { key: 'account_id', label: 'Account', value: (r: WorklistRow) => r.accountId, show: (r: WorklistRow) => <AccountLink id={r.accountId} asOf={p.as_of}>{r.name || r.accountId}</AccountLink> },
    name: { key: 'name', label: 'Name', value: (r: WorklistRow) => r.name, csvOnly: true },
    health: { key: 'health', label: 'Health', numeric: true, value: (r: WorklistRow) => r.health, show: (r: WorklistRow) => <span class={`tag ${r.band ?? ''}`}>{fmtNum(r.health)} {bandText(r.band)}</span> },
    band: { key: 'band', label: 'Band', value: (r: WorklistRow) => r.band, csvOnly: true },
    arr: { key: 'arr', label: 'ARR', numeric: true, value: (r: WorklistRow) => r.arr, show: (r: WorklistRow) => fmtMoney(r.arr, cur) },
    days: { key: 'days_to_renewal', label: 'Days to renewal', numeric: true, value: (r: WorklistRow) => r.daysToRenewal },
    renewal: { key: 'next_renewal', label: 'Next renewal', value: (r: WorklistRow) => r.nextRenewal },
    trend: { key: 'usage_trend', label: 'Usage trend', numeric: true, value: (r: WorklistRow) => r.usageTrend, show: (r: WorklistRow) => `${r.trend ?? '—'} (${fmtNum(r.usageTrend, 2)})` },
    temperature: { key: 'temperature', label: 'Temperature', numeric: true, value: (r: WorklistRow) => r.temperature, show: (r: WorklistRow) => fmtNum(r.temperature) },
    action: { key: 'action', label: 'Suggested action', value: (r: WorklistRow) => r.action },
    sharing: { key: 'seat_sharing', label: 'Seat sharing', value: (r: WorklistRow) => r.seatSharingSuspected, show: (r: WorklistRow) => (r.seatSharingSuspected ? 'suspected' : '') },
  }
}

/** At-risk worklist: today's accounts filtered and sorted by health band, ARR, days to renewal and usage trend. */
export const worklistPage: PageDef<P, Worklist & { shown: WorklistRow[] }> = {
  nav: 'accounts',
  title: 'Account worklist',
  path: () => '/app/accounts/worklist',
  segments: 'accounts',
  fields: [
    asOfField,
    { name: 'band', label: 'Health band', type: 'select', options: [any, { value: 'red', label: 'Red' }, { value: 'red,yellow', label: 'Red or yellow' }, { value: 'yellow', label: 'Yellow' }, { value: 'green', label: 'Green' }] },
    { name: 'trend', label: 'Usage trend', type: 'select', options: [any, { value: 'declining', label: 'Declining' }, { value: 'steady', label: 'Steady' }, { value: 'growing', label: 'Growing' }] },
    { name: 'min_arr', label: 'ARR at least', type: 'number', min: 0, width: 's' },
    { name: 'max_arr', label: 'ARR at most', type: 'number', min: 0, width: 's' },
    { name: 'renewal_within_days', label: 'Renews within (days)', type: 'number', min: 0, max: 3660, width: 's' },
    { name: 'by', label: 'Sort by', type: 'select', options: WORKLIST_SORTS.map((s) => ({ value: s, label: s.replace(/_/g, ' ') })) },
    { name: 'dir', label: 'Order', type: 'select', options: [{ value: '', label: 'Default' }, { value: 'asc', label: 'Ascending' }, { value: 'desc', label: 'Descending' }] },
  ],
  // A submitted form sends empty fields; they mean "no filter", not 0.
  parse: (q) => parseParams(Params, Object.fromEntries(Object.entries(q).filter(([, v]) => v !== ''))),
  values: (p) => ({
    as_of: p.as_of, band: p.band?.join(',') ?? '', trend: p.trend?.join(',') ?? '', min_arr: p.min_arr?.toString() ?? '', max_arr: p.max_arr?.toString() ?? '',
    renewal_within_days: p.renewal_within_days?.toString() ?? '', by: p.by ?? 'health', dir: p.dir ?? '',
  }),
  async load(ctx, p) {
    const health = await ctx.health.get(ctx.client, { projectId: ctx.project.id, asOf: p.as_of, segment: ctx.segment })
    const list = await accountWorklist(ctx.client, { projectId: ctx.project.id, asOf: p.as_of, health })
    const shown = filterWorklist(list.rows, { bands: p.band, trends: p.trend, minArr: p.min_arr, maxArr: p.max_arr, renewalWithinDays: p.renewal_within_days, sort: p.by, dir: p.dir })
    return { ...list, shown }
  },
  tables: (d, p) => {
    const c = accountColumns(p, d.currency)
    return [
      table<WorklistRow>({
        id: 'worklist', title: `${d.shown.length} of ${d.rows.length} paying accounts`, rows: d.shown, empty: 'No account matches these filters.',
        highlight: (r) => r.band === 'red',
        columns: [c.account, c.name, c.health, c.band, c.arr, c.days, c.renewal, c.trend, c.temperature, c.action, c.sharing],
      }),
    ]
  },
  view: (d, p, kit) => (
    <>
      <AccountTabs current="worklist" query={tabQuery(p.as_of, kit.ctx.segment)} />
      <ActivityNote activity={d.activity} />
      {kit.table('worklist')}
    </>
  ),
}
