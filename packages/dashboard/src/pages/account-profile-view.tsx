import type { AccountPerson, AccountProfile, WeekUsage } from '@tenure/analysis'
import { Figures } from '../components/figures.js'
import { LineChart } from '../components/line-chart.js'
import { fmtInstant, PersonLink } from '../components/person-link.js'
import { Note } from '../components/states.js'
import { fmtMoney, fmtNum } from '../format.js'
import type { ViewKit } from '../render.js'
import { table, type AnyTable } from '../table.js'
import { bandText } from './worklist.js'

const traitText = (t: Record<string, unknown>) =>
  Object.entries(t).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', ')

/** The account page's people, health trend and usage tables. */
export function profileTables(d: AccountProfile): AnyTable[] {
  return [
    table<AccountPerson>({
      id: 'people', title: `People (${d.people.length})`, rows: d.people, empty: 'No one in this account has sent events.',
      columns: [
        { key: 'person', label: 'Person', value: (r) => r.person, show: (r) => <PersonLink id={r.person} /> },
        { key: 'traits', label: 'Traits', value: (r) => traitText(r.traits) },
        { key: 'last_active', label: 'Last active (UTC)', value: (r) => r.lastActive, show: (r) => fmtInstant(r.lastActive) },
        { key: 'active_days_30d', label: 'Active days, last 30', numeric: true, value: (r) => r.recentActiveDays },
        { key: 'events', label: 'Events', numeric: true, value: (r) => r.events },
        { key: 'features', label: 'Features used', value: (r) => r.features.join(', ') },
      ],
    }),
    table<AccountProfile['healthTrend'][number]>({
      id: 'health-trend', title: 'Health over the last 90 days', rows: d.healthTrend, empty: 'Health is scored for paying accounts only.',
      note: <>Earlier scores use today's weights and today's accounts as the reference.</>,
      columns: [
        { key: 'as_of', label: 'As of', value: (r) => r.asOf },
        { key: 'health', label: 'Health', numeric: true, value: (r) => r.health, show: (r) => <span class={`tag ${r.band ?? ''}`}>{fmtNum(r.health)} {bandText(r.band)}</span> },
        { key: 'band', label: 'Band', value: (r) => r.band, csvOnly: true },
      ],
    }),
    table<WeekUsage>({
      id: 'weekly', title: 'Weekly usage (weeks from Monday)', rows: [...d.weeklyUsage].reverse(), empty: 'No activity in the last 12 weeks.',
      columns: [
        { key: 'week', label: 'Week of', value: (r) => r.week },
        { key: 'people', label: 'Active people', numeric: true, value: (r) => r.people },
        { key: 'events', label: 'Events', numeric: true, value: (r) => r.events },
      ],
    }),
    table<NonNullable<AccountProfile['health']>['components'][number]>({
      id: 'components', title: 'Health components', rows: d.health?.components ?? [], empty: 'Health is scored for paying accounts only.',
      columns: [
        { key: 'component', label: 'Component', value: (r) => r.name, show: (r) => r.name.replace(/_/g, ' ') },
        { key: 'value', label: 'Value', numeric: true, value: (r) => r.value, show: (r) => fmtNum(r.value, 2) },
        { key: 'percentile', label: 'Percentile among accounts', numeric: true, value: (r) => r.percentile, show: (r) => fmtNum(r.percentile) },
      ],
    }),
  ]
}

/** Health, temperature and next renewal as headline figures, then people, trend and seat-sharing evidence. */
export function ProfileView(props: { d: AccountProfile; kit: ViewKit }) {
  const { d, kit } = props
  const w = d.worklist
  const cur = d.detail.currency
  return (
    <>
      <Figures label="Health and renewal" items={[
        { id: 'health', label: 'Health', value: d.health ? <span class={`tag ${d.health.band ?? ''}`}>{fmtNum(d.health.health)} {bandText(d.health.band)}</span> : '—' },
        { id: 'temperature', label: 'Temperature', value: d.health ? fmtNum(d.health.temperature) : '—', sub: d.health?.action },
        { id: 'next-renewal', label: 'Next renewal', value: w?.nextRenewal ?? '—', sub: w?.daysToRenewal !== null && w?.daysToRenewal !== undefined ? `in ${w.daysToRenewal} days · ${fmtMoney(w.renewalArr, cur)} ARR` : undefined },
        { id: 'usage-trend', label: 'Usage trend', value: w?.trend ?? '—', sub: w?.usageTrend !== null && w?.usageTrend !== undefined ? fmtNum(w.usageTrend, 2) : undefined },
      ]} />
      {d.seatSharing.length ? (
        <section aria-labelledby="sharing-h">
          <h3 id="sharing-h">Seat sharing</h3>
          <ul class="sentences" data-seat-sharing>{d.seatSharing.flatMap((s) => s.sentences.map((t) => <li>{t} <PersonLink id={s.person}>Open {s.person}</PersonLink></li>))}</ul>
        </section>
      ) : <Note>No sign of seat sharing in the last 30 days.</Note>}
      {kit.table('people')}
      {d.weeklyUsage.length > 1 ? (
        <LineChart id="account-weekly" title="Active people per week" summary={`${d.weeklyUsage.length} weeks.`}
          spec={{ kind: 'time', x: d.weeklyUsage.map((u) => u.week), y: 'int', series: [{ label: 'Active people', values: d.weeklyUsage.map((u) => u.people) }] }} />
      ) : null}
      <div class="cols-2">
        {kit.table('health-trend')}
        {kit.table('components')}
      </div>
      {kit.table('weekly')}
    </>
  )
}
