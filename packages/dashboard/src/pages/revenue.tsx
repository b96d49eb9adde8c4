import { loadBook, revenueReport, type FeatureRenewalRow, type MonthRow, type RenewalRow, type RenewalUsageRow, type RenewalsReport, type RevenueReport } from '@tenure/analysis'
import { z } from 'zod'
import { comparisonColumns } from '../components/comparison.js'
import { ActivityNote } from '../components/activity-note.js'
import { Figures } from '../components/figures.js'
import { LineChart } from '../components/line-chart.js'
import { MovementBars } from '../components/movement-bars.js'
import { Note } from '../components/states.js'
import { fmtMoney, fmtNum, fmtPct, fmtRatio } from '../format.js'
import { intIn, isoDate, parseParams } from '../params.js'
import type { PageDef } from '../render.js'
import { table } from '../table.js'
import { AccountLink, AccountTabs, asOf, asOfField, currencyParam, tabQuery } from './accounts-shared.js'

const Params = z.object({
  as_of: asOf,
  from: isoDate.optional(),
  lookback_days: intIn(1, 3660).default(90),
  min_n: intIn(1, 1_000_000).default(30),
  currency: currencyParam,
})
type P = z.infer<typeof Params>

interface Data {
  revenue: RevenueReport
  renewals: RenewalsReport
  /** Account id → imported name, so tables show names where they exist. */
  accountNames: Map<string, string>
}

/** Revenue (MRR movements, renewal rates, NRR/GRR) and renewal outcomes by feature use. */
export const revenuePage: PageDef<P, Data> = {
  nav: 'accounts',
  title: 'Accounts & renewals',
  path: () => '/app/accounts',
  segments: 'accounts',
  fields: [
    asOfField,
    { name: 'from', label: 'Rates from', type: 'date', width: 'm' },
    { name: 'lookback_days', label: 'Look-back days', type: 'number', min: 1, max: 3660, width: 's' },
    { name: 'min_n', label: 'Min accounts', type: 'number', min: 1, width: 's' },
    { name: 'currency', label: 'Currency', type: 'text', placeholder: 'main', width: 's' },
  ],
  parse: (q) => parseParams(Params, q),
  values: (p) => ({ as_of: p.as_of, from: p.from ?? '', lookback_days: String(p.lookback_days), min_n: String(p.min_n), currency: p.currency ?? '' }),
  async load(ctx, p) {
    const projectId = ctx.project.id
    const [revenue, renewals, book] = await Promise.all([
      revenueReport(ctx.client, { projectId, asOf: p.as_of, from: p.from, currency: p.currency, segment: ctx.segment }),
      ctx.health.renewals(ctx.client, { projectId, asOf: p.as_of, lookbackDays: p.lookback_days, minN: p.min_n, currency: p.currency, segment: ctx.segment }),
      loadBook(ctx.client, projectId),
    ])
    return { revenue, renewals, accountNames: new Map(book.accounts.map((a) => [a.accountId, a.name])) }
  },
  tables: ({ revenue: r, renewals, accountNames }, p) => {
    const named = (id: string) => accountNames.get(id) || id
    const featureName = (key: string) => renewals.featureNames[key] ?? key
    const cur = r.currency
    const money = (v: number | null) => fmtMoney(v, cur)
    return [
      table<MonthRow>({
        id: 'mrr-movements', title: 'MRR movements per month', rows: [...r.months].reverse(), empty: 'No contracts imported yet: import accounts and contracts (POST /v1/accounts/import).',
        columns: [
          { key: 'month', label: 'Month', value: (m) => m.month },
          { key: 'mrr_start', label: 'MRR start', numeric: true, value: (m) => m.start, show: (m) => money(m.start) },
          { key: 'new', label: 'New', numeric: true, value: (m) => m.new, show: (m) => money(m.new) },
          { key: 'expansion', label: 'Expansion', numeric: true, value: (m) => m.expansion, show: (m) => money(m.expansion) },
          { key: 'reactivation', label: 'Reactivation', numeric: true, value: (m) => m.reactivation, show: (m) => money(m.reactivation) },
          { key: 'contraction', label: 'Contraction', numeric: true, value: (m) => m.contraction, show: (m) => money(m.contraction) },
          { key: 'churned', label: 'Churned', numeric: true, value: (m) => m.churned, show: (m) => money(m.churned) },
          { key: 'mrr_end', label: 'MRR end', numeric: true, value: (m) => m.end, show: (m) => money(m.end) },
          { key: 'accounts_end', label: 'Accounts', numeric: true, value: (m) => m.accountsEnd },
          { key: 'new_accounts', label: 'New accts', numeric: true, value: (m) => m.newAccounts },
          { key: 'churned_accounts', label: 'Churned accts', numeric: true, value: (m) => m.churnedAccounts },
          { key: 'identity_holds', label: 'Adds up', value: (m) => m.identityHolds, show: (m) => (m.identityHolds ? '✓' : '✗ check') },
        ],
      }),
      table<RenewalRow>({
        id: 'renewals', title: 'Renewals that came due', rows: [...r.renewalEvents].sort((a, b) => (a.dueDate < b.dueDate ? 1 : -1)), empty: 'No contract has come due yet.',
        columns: [
          { key: 'account_id', label: 'Account', value: (e) => e.accountId, show: (e) => <AccountLink id={e.accountId} asOf={p.as_of}>{named(e.accountId)}</AccountLink> },
          { key: 'due_date', label: 'Due', value: (e) => e.dueDate },
          { key: 'outcome', label: 'Outcome', value: (e) => e.outcome, show: (e) => <span class={`tag ${e.outcome}`}>{e.outcome}</span> },
          { key: 'old_arr', label: 'Old ARR', numeric: true, value: (e) => e.oldArr, show: (e) => money(e.oldArr) },
          { key: 'new_arr', label: 'New ARR', numeric: true, value: (e) => e.newArr, show: (e) => money(e.newArr) },
          { key: 'source', label: 'Source', value: (e) => e.source },
          { key: 'warnings', label: 'Warnings', value: (e) => e.warnings.join('; ') },
        ],
      }),
      table<FeatureRenewalRow>({
        id: 'feature-renewal', title: 'Renewal by feature use in the look-back window', rows: renewals.featureRenewal.features,
        empty: `No feature was used by at least ${renewals.featureRenewal.minN} accounts that came due (see "not enough data" below).`,
        highlight: (f) => f.highRenewal,
        note: <Note>{renewals.featureRenewal.note} Overall renewal rate (baseline of the report): {fmtPct(renewals.featureRenewal.overall.rate)} of {fmtNum(renewals.featureRenewal.overall.n)} renewals.</Note>,
        columns: [
          { key: 'feature', label: 'Feature', value: (f) => f.feature, show: (f) => featureName(f.feature) },
          ...comparisonColumns<FeatureRenewalRow>((f) => f.comparison, (f) => f.q, { group: 'users', baseline: 'non-users', success: 'renewed' }),
          { key: 'high_renewal', label: 'Flag', value: (f) => f.highRenewal, show: (f) => (f.highRenewal ? <span class="tag good">high renewal</span> : '') },
        ],
      }),
      table<{ feature: string; users: number; nonUsers: number }>({
        id: 'feature-renewal-not-enough', title: 'Not enough data (listed, never ranked)', rows: renewals.featureRenewal.notEnoughData, empty: 'Every feature had enough accounts.',
        columns: [
          { key: 'feature', label: 'Feature', value: (f) => f.feature, show: (f) => featureName(f.feature) },
          { key: 'users', label: 'Accounts using it', numeric: true, value: (f) => f.users },
          { key: 'non_users', label: 'Accounts not using it', numeric: true, value: (f) => f.nonUsers },
          { key: 'status', label: 'Status', value: () => 'not enough data' },
        ],
      }),
      table<RenewalUsageRow>({
        id: 'renewal-usage', title: `Usage in the ${renewals.lookbackDays} days before each renewal`, rows: renewals.renewals, empty: 'No decided renewals.',
        columns: [
          { key: 'account_id', label: 'Account', value: (u) => u.accountId, show: (u) => <AccountLink id={u.accountId} asOf={p.as_of}>{named(u.accountId)}</AccountLink> },
          { key: 'due_date', label: 'Due', value: (u) => u.dueDate },
          { key: 'outcome', label: 'Outcome', value: (u) => u.outcome },
          { key: 'active_users', label: 'Active users', numeric: true, value: (u) => u.activeUsers },
          { key: 'active_days_per_user', label: 'Days / user', numeric: true, value: (u) => u.activeDaysPerUser, show: (u) => fmtNum(u.activeDaysPerUser, 1) },
          { key: 'seats', label: 'Seats', numeric: true, value: (u) => u.seats },
          { key: 'seat_utilisation', label: 'Seats used', numeric: true, value: (u) => u.seatUtilisation, show: (u) => fmtPct(u.seatUtilisation, 0) },
          { key: 'help_views', label: 'Help views', numeric: true, value: (u) => u.helpViews },
          { key: 'support_contacts', label: 'Support', numeric: true, value: (u) => u.supportContacts },
          { key: 'features_used', label: 'Features used', numeric: true, value: (u) => Object.keys(u.features).length },
        ],
      }),
    ]
  },
  view: ({ revenue: r, renewals }, p, kit) => {
    const cur = r.currency
    const nr = r.netRetention
    const e = r.economics
    const query = tabQuery(p.as_of, kit.ctx.segment)
    return (
      <>
        <AccountTabs current="revenue" query={query} />
        <ActivityNote activity={renewals.activity} />
        <section aria-labelledby="h-revenue">
          <h2 id="h-revenue">Revenue on {r.asOf}</h2>
          <Figures
            label="Revenue figures"
            items={[
              { id: 'mrr', label: 'MRR', value: fmtMoney(r.mrr, cur), sub: `${fmtNum(e.payingAccounts)} paying accounts` },
              { id: 'arr', label: 'ARR', value: fmtMoney(r.arr, cur) },
              { id: 'nrr', label: 'NRR (12 months)', value: fmtPct(nr?.nrr ?? null), sub: nr ? `${nr.t0} → ${nr.t1}, ${fmtNum(nr.cohortAccounts)} accounts` : 'needs 12 months of history' },
              { id: 'grr', label: 'GRR (12 months)', value: fmtPct(nr?.grr ?? null) },
              { id: 'logo-renewal', label: 'Logo renewal rate', value: fmtPct(r.renewals.logoRenewalRate), sub: `${fmtNum(r.renewals.accountsRenewed)} of ${fmtNum(r.renewals.accountsDue)} due${r.renewals.pending ? `, ${r.renewals.pending} pending` : ''}` },
              { id: 'gross-renewal', label: 'Gross $ renewal', value: fmtPct(r.renewals.grossDollarRenewalRate) },
              { id: 'net-renewal', label: 'Net $ renewal', value: fmtPct(r.renewals.netDollarRenewalRate) },
              { id: 'logo-churn', label: 'Logo churn', value: fmtPct(r.logos.logoChurnRate), sub: `${fmtNum(r.logos.lost)} of ${fmtNum(r.logos.atStart)} lost` },
              { id: 'crr', label: 'Customer retention', value: fmtPct(r.logos.crr) },
              { id: 'arpa', label: 'ARPA (monthly)', value: fmtMoney(e.arpa, cur) },
              { id: 'ltv', label: 'LTV', value: fmtMoney(e.ltv, cur), sub: e.monthlyLogoChurn !== null ? `monthly logo churn ${fmtPct(e.monthlyLogoChurn, 2)}` : 'no churn yet' },
              { id: 'ltv-cac', label: 'LTV / CAC', value: fmtRatio(e.ltvToCac, 1), sub: e.cac !== null ? `CAC ${fmtMoney(e.cac, cur)}` : 'no CAC imported' },
            ]}
          />
          <p class="muted">
            Rates over {r.period.from} to {r.period.to}. Renewal rates count each account due in the period once (old ARR of its first term due, new ARR after its last, 30-day grace).
            Logo churn and customer retention take S = the accounts paying on {r.logos.start ?? r.period.from} (the start date) and E = those paying on {r.logos.end ?? r.period.to}.
            NRR and GRR are cohort ratios over the accounts paying at the end of {nr?.t0 ?? '12 months ago'}: their MRR at the end of {nr?.t1 ?? 'the last month'} against then; an account that lapsed and came back counts with what it pays at the end, and new accounts are not in them.
          </p>
          {r.otherCurrencies.length ? (
            <Note kind="warn">
              Left out, in other currencies: {r.otherCurrencies.map((o) => `${o.contractVersions} contract version(s) in ${o.currency}`).join(', ')}. Pick one with the currency field.
            </Note>
          ) : null}
          {!r.identityHoldsEveryMonth ? <Note kind="warn">The MRR movements of some month do not add up; see the ✗ rows.</Note> : null}
        </section>
        <section aria-labelledby="h-movements">
          <h2 id="h-movements">MRR movements</h2>
          {r.months.length ? (
            <div class="charts-2">
              <MovementBars months={r.months} currency={cur} title="Movements per month" />
              <LineChart
                id="mrr"
                title="MRR at month end"
                summary={`From ${fmtMoney(r.months[0]!.end, cur)} in ${r.months[0]!.month} to ${fmtMoney(r.mrr, cur)}.`}
                spec={{ kind: 'time', x: r.months.map((m) => `${m.month}-01`), y: 'money', series: [{ label: `MRR (${cur ?? ''})`, values: r.months.map((m) => m.end) }] }}
              />
            </div>
          ) : null}
          {kit.table('mrr-movements')}
        </section>
        <section aria-labelledby="h-renewals">
          <h2 id="h-renewals">Renewals</h2>
          {kit.table('renewals')}
        </section>
        <section aria-labelledby="h-feature-renewal">
          <h2 id="h-feature-renewal">Feature × renewal</h2>
          <p class="muted">
            For each account that came due: features used in the {renewals.lookbackDays} days before the due date. A feature is flagged when q &lt; {renewals.featureRenewal.alpha}, lift &gt; 1 and at least {renewals.featureRenewal.minN} accounts used it.
          </p>
          {kit.table('feature-renewal')}
          {kit.table('feature-renewal-not-enough')}
          {kit.table('renewal-usage')}
        </section>
      </>
    )
  },
}
