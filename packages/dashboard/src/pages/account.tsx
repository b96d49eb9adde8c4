import { AnalysisError, accountProfile, type AccountProfile, type ContractVersion, type RenewalRow } from '@tenure/analysis'
import { z } from 'zod'
import { ActivityNote } from '../components/activity-note.js'
import { Figures } from '../components/figures.js'
import { LineChart } from '../components/line-chart.js'
import { fmtMoney, fmtNum, fmtPct } from '../format.js'
import { DEFAULT_SEAT_DAYS } from '../data/health-cache.js'
import { addDays, intIn, parseParams, ParamError } from '../params.js'
import type { PageDef } from '../render.js'
import { table } from '../table.js'
import { asOf, asOfField, tabQuery } from './accounts-shared.js'
import { profileTables, ProfileView } from './account-profile-view.js'

const Params = z.object({ as_of: asOf, window_days: intIn(1, 3660).default(90), id: z.string() })
type P = z.infer<typeof Params>

/** The account id in the page's address, or '' when it is not a valid id (the page then answers 400). */
export function accountIdOf(path: string): string {
  try {
    return accountId(path)
  } catch {
    return ''
  }
}

function accountId(path: string): string {
  const raw = path.slice('/app/account/'.length)
  let id: string
  try {
    id = decodeURIComponent(raw)
  } catch {
    throw new ParamError('the account id in the address is not valid', 'id')
  }
  if (!id || id.length > 200) throw new ParamError('the account id must have 1 to 200 characters', 'id')
  return id
}

/** One account: health, renewal, people, contracts, MRR history, renewals and recent usage. `name` titles the page when known. */
export function accountPage(path: string, name = ''): PageDef<P, AccountProfile> {
  const id = accountId(path)
  return {
    nav: 'accounts',
    title: name ? `${name} (${id})` : `Account ${id}`,
    path: () => `/app/account/${encodeURIComponent(id)}`,
    fields: [asOfField, { name: 'window_days', label: 'Usage window (days)', type: 'number', min: 1, max: 3660, width: 's' }],
    parse: (q) => parseParams(Params, { ...q, id }),
    values: (p) => ({ as_of: p.as_of, window_days: String(p.window_days) }),
    async load(ctx, p) {
      const projectId = ctx.project.id
      // The account's row of the health report the other account pages show, and seat sharing over its temperature window.
      const [health, sharing] = await Promise.all([
        ctx.health.get(ctx.client, { projectId, asOf: p.as_of }),
        ctx.health.seatSharing(ctx.client, projectId, addDays(p.as_of, -DEFAULT_SEAT_DAYS), p.as_of),
      ])
      const profile = await accountProfile(ctx.client, { projectId, accountId: p.id, asOf: p.as_of, windowDays: p.window_days, health, sharing })
      if (!profile) throw new AnalysisError('not_found', `no account ${p.id} in imported data or events`, 'id')
      return profile
    },
    tables: (profile) => {
      const d = profile.detail
      const cur = d.currency
      return [
        ...profileTables(profile),
        table<ContractVersion>({
          id: 'contracts', title: 'Contracts', rows: d.contracts, empty: 'No contracts imported for this account.',
          columns: [
            { key: 'contract_id', label: 'Contract', value: (c) => c.contractId },
            { key: 'effective_from', label: 'Effective', value: (c) => c.effectiveFrom },
            { key: 'term_start', label: 'Term start', value: (c) => c.termStart },
            { key: 'term_end', label: 'Term end', value: (c) => c.termEnd },
            { key: 'amount', label: 'Amount', numeric: true, value: (c) => c.amount, show: (c) => `${c.currency} ${c.amount}` },
            { key: 'billing_months', label: 'Billed every (months)', numeric: true, value: (c) => c.billingMonths },
            { key: 'seats', label: 'Seats', numeric: true, value: (c) => c.seats },
          ],
        }),
        table<{ month: string; mrr: number }>({
          id: 'mrr', title: 'MRR at month end', rows: [...d.months].reverse(), empty: 'This account has never paid.',
          columns: [
            { key: 'month', label: 'Month', value: (m) => m.month },
            { key: 'mrr', label: 'MRR', numeric: true, value: (m) => m.mrr, show: (m) => fmtMoney(m.mrr, cur) },
          ],
        }),
        table<RenewalRow>({
          id: 'renewals', title: 'Renewals', rows: d.renewals, empty: 'No renewal has come due.',
          columns: [
            { key: 'due_date', label: 'Due', value: (r) => r.dueDate },
            { key: 'outcome', label: 'Outcome', value: (r) => r.outcome, show: (r) => <span class={`tag ${r.outcome}`}>{r.outcome}</span> },
            { key: 'old_arr', label: 'Old ARR', numeric: true, value: (r) => r.oldArr, show: (r) => fmtMoney(r.oldArr, cur) },
            { key: 'new_arr', label: 'New ARR', numeric: true, value: (r) => r.newArr, show: (r) => fmtMoney(r.newArr, cur) },
            { key: 'source', label: 'Source', value: (r) => r.source },
          ],
        }),
        table<{ feature: string; name: string; users: number; events: number }>({
          id: 'features', title: `Features used, ${d.usage.from} to ${d.usage.to}`, empty: 'No feature use in this window.',
          rows: Object.entries(d.usage.features).map(([feature, u]) => ({ feature, name: profile.featureNames[feature] ?? feature, ...u })).sort((a, b) => b.users - a.users || b.events - a.events),
          columns: [
            { key: 'feature', label: 'Feature', value: (f) => f.feature, show: (f) => f.name },
            { key: 'users', label: 'Users', numeric: true, value: (f) => f.users },
            { key: 'events', label: 'Events', numeric: true, value: (f) => f.events },
          ],
        }),
      ]
    },
    view: (profile, p, kit) => {
      const d = profile.detail
      return (
      <>
        {/* Back to the lists with the segment chosen before this page (the account is shown whatever it is). */}
        <nav class="tabs" aria-label="Account lists">
          <a href={`/app/accounts/worklist${tabQuery(p.as_of, kit.ctx.view?.segment)}`}>Worklist</a>
          <a href={`/app/accounts/calendar${tabQuery(p.as_of, kit.ctx.view?.segment)}`}>Renewal calendar</a>
          <a href={`/app/accounts/health${tabQuery(p.as_of, kit.ctx.view?.segment)}`}>{kit.ctx.view?.segment ? 'Health of the segment\'s accounts' : 'Health of all accounts'}</a>
        </nav>
        <ActivityNote activity={profile.activity} />
        <ProfileView d={profile} kit={kit} />
        <p class="muted">{d.account ? `${d.account.name} · plan ${d.account.plan || '—'}` : 'Not in the imported account list (seen in events only).'}</p>
        <Figures
          label="Account figures"
          items={[
            { id: 'mrr', label: 'MRR', value: fmtMoney(d.mrr, d.currency) },
            { id: 'arr', label: 'ARR', value: fmtMoney(d.arr, d.currency) },
            { id: 'active-users', label: 'Active users', value: fmtNum(d.usage.activeUsers), sub: `${d.usage.from} to ${d.usage.to}` },
            { id: 'days-per-user', label: 'Active days / user', value: fmtNum(d.usage.activeDaysPerUser, 1) },
            { id: 'seats', label: 'Seats used', value: fmtPct(d.usage.seatUtilisation, 0), sub: d.usage.seats !== null ? `${d.usage.seats} seats` : 'seats unknown' },
            { id: 'help', label: 'Help views', value: fmtNum(d.usage.helpViews) },
            { id: 'support', label: 'Support contacts', value: fmtNum(d.usage.supportContacts) },
          ]}
        />
        {d.months.length > 1 ? (
          <LineChart id="account-mrr" title="MRR at month end" summary={`Now ${fmtMoney(d.mrr, d.currency)}.`}
            spec={{ kind: 'time', x: d.months.map((m) => `${m.month}-01`), y: 'money', series: [{ label: 'MRR', values: d.months.map((m) => m.mrr) }] }} />
        ) : null}
        <div class="cols-2">
          {kit.table('renewals')}
          {kit.table('features')}
        </div>
        {kit.table('contracts')}
        {kit.table('mrr')}
      </>
      )
    },
  }
}
