import {
  FeatureRetentionParams, HighRetentionParams, listFeatures, parseParams as parseReportParams,
  type AhaBucket, type FeatureDefinition, type FeatureRetentionRow, type HighRetentionRow,
} from '@tenure/analysis'
import { comparisonColumns, RateCell } from '../components/comparison.js'
import { evidenceColumns } from '../components/evidence.js'
import { Figures } from '../components/figures.js'
import { IntervalBars } from '../components/interval-bars.js'
import { TZ_FIELD, type Field } from '../components/params-form.js'
import { Empty, Note } from '../components/states.js'
import { fmtInterval, fmtNum, fmtP, fmtPct, fmtRatio } from '../format.js'
import { parseParams, todayIn, urlWith } from '../params.js'
import { highInput, retentionInput, RetentionFeaturesQuery, settledView, type RetentionFeaturesData as Data, type RetentionFeaturesView } from '../data/retention-features.js'
import type { PageDef } from '../render.js'
import { table } from '../table.js'
import { checked, countCol, dayColumns, RetentionTabs } from './retention-shared.js'

type P = RetentionFeaturesView

/** Per-feature retention, the high-retention features report and the aha threshold of one feature. */
export function retentionFeaturesPage(features: FeatureDefinition[]): PageDef<P, Data> {
  const fields: Field[] = [
    { name: 'from', label: 'New users from', type: 'date' },
    { name: 'to', label: 'To', type: 'date' },
    TZ_FIELD,
    { name: 'n', label: 'Day N', type: 'number', min: 1, max: 3650, width: 's' },
    { name: 'window', label: 'Adoption days', type: 'number', min: 1, max: 90, width: 's' },
    { name: 'min_n', label: 'Min users', type: 'number', min: 1, width: 's' },
    { name: 'mode', label: 'Retained', type: 'select', options: [{ value: 'on', label: 'on day N' }, { value: 'on_or_after', label: 'on or after day N' }] },
    { name: 'days', label: 'Feature retention days', type: 'text', width: 's' },
    { name: 'return', label: 'Return event', type: 'select', options: [{ value: 'feature', label: 'Same feature' }, { value: 'any', label: 'Any activity' }] },
    { name: 'aha', label: 'Aha feature', type: 'select', options: [{ value: '', label: 'Top flagged feature' }, ...features.map((f) => ({ value: f.id, label: f.name }))] },
  ]
  return {
    nav: 'retention',
    title: 'Retention',
    path: () => '/app/retention/features',
    segments: true,
    fields,
    parse(q, ctx) {
      const p = settledView(parseParams(RetentionFeaturesQuery, q), ctx.project.timezone)
      checked(() => {
        parseReportParams(HighRetentionParams, highInput(p))
        parseReportParams(FeatureRetentionParams, retentionInput(p))
      })
      return p
    },
    values: (p) => ({
      from: p.from, to: p.to, tz: p.tz, n: String(p.n), window: String(p.window), min_n: String(p.min_n), mode: p.mode, days: p.days, return: p.return, aha: p.aha ?? '',
    }),
    async load(ctx, p) {
      if (features.length === 0) return { retention: null, high: null, aha: null }
      // As of the start of today in the page's zone (the reports count complete days only): kept
      // while the data before it is unchanged, and warmed in the background for the first visit's view.
      return ctx.health.retentionFeatures(ctx.client, { projectId: ctx.project.id, view: p, asOf: todayIn(p.tz), segment: ctx.segment })
    },
    tables: (d) => {
      if (!d.retention || !d.high) return []
      const high = d.high
      const ranked = high.features.filter((f) => f.status === 'tested')
      const thin = high.features.filter((f) => f.status === 'not_enough_data')
      const nameOf = new Map(high.features.map((f) => [f.featureId, f.name]))
      const coUsedNames = (f: HighRetentionRow) => f.adjusted.coUsed.map((id) => nameOf.get(id) ?? id).join('; ')
      return [
        table<FeatureRetentionRow>({
          id: 'feature-retention', title: `Retention of each feature (start: first use; return: ${d.retention.return === 'feature' ? 'the same feature' : 'any activity'})`,
          rows: d.retention.features, empty: 'No features defined.',
          columns: [
            { key: 'feature', label: 'Feature', value: (r) => r.name },
            { key: 'feature_id', label: 'Id', csvOnly: true, value: (r) => r.featureId },
            countCol<FeatureRetentionRow>('active_users', 'Active users', (r) => r.activeUsers),
            { key: 'adoption', label: 'Adoption (95% CI)', numeric: true, value: (r) => r.adoption.rate, show: (r) => <RateCell p={r.adoption} /> },
            { key: 'adoption_low', label: 'low', csvOnly: true, value: (r) => r.adoption.low },
            { key: 'adoption_high', label: 'high', csvOnly: true, value: (r) => r.adoption.high },
            countCol<FeatureRetentionRow>('new_adopters', 'First used in window', (r) => r.newAdopters),
            ...dayColumns<FeatureRetentionRow>(d.retention.days, (r) => r.cells),
          ],
        }),
        table<HighRetentionRow>({
          id: 'high-retention', title: `Features ranked by day-${high.n} retention lift`, rows: ranked,
          empty: `No feature has ${high.minN} adopters and ${high.minN} non-adopters yet (see "not enough data").`,
          highlight: (f) => f.highRetention,
          columns: [
            { key: 'feature', label: 'Feature', value: (f) => f.name },
            { key: 'feature_id', label: 'Id', csvOnly: true, value: (f) => f.featureId },
            ...comparisonColumns<HighRetentionRow>(
              (f) => ({ group: f.adopters, baseline: f.nonAdopters, lift: f.lift, difference: f.difference, p: f.p, test: f.test }),
              (f) => f.q,
              { group: 'adopters', baseline: 'non-adopters', success: 'retained' },
            ),
            { key: 'adjusted_lift', label: 'Adjusted lift (95% CI)', numeric: true, value: (f) => f.adjusted.lift, show: (f) => <>{fmtRatio(f.adjusted.lift)}<small class="ci">{f.adjusted.low !== null && f.adjusted.high !== null ? `${fmtNum(f.adjusted.low, 2)}–${fmtNum(f.adjusted.high, 2)}` : '—'}</small></> },
            { key: 'adjusted_low', label: 'low', csvOnly: true, value: (f) => f.adjusted.low },
            { key: 'adjusted_high', label: 'high', csvOnly: true, value: (f) => f.adjusted.high },
            { key: 'adjusted_q', label: 'Adjusted q', numeric: true, value: (f) => f.adjusted.q, show: (f) => fmtP(f.adjusted.q) },
            { key: 'co_used', label: 'Also held equal: use of', value: (f) => coUsedNames(f), show: (f) => (f.adjusted.coUsed.length ? <small>{coUsedNames(f)}</small> : '—') },
            { key: 'counterfactual_rate', label: 'Adopters without it (adjusted)', csvOnly: true, value: (f) => f.adjusted.rateCounterfactual },
            { key: 'adjusted_difference', label: 'Adjusted difference', csvOnly: true, value: (f) => f.adjusted.difference },
            { key: 'adjusted_difference_low', label: 'low', csvOnly: true, value: (f) => f.adjusted.differenceLow },
            { key: 'adjusted_difference_high', label: 'high', csvOnly: true, value: (f) => f.adjusted.differenceHigh },
            { key: 'e_value', label: 'E-value (CI limit)', numeric: true, value: (f) => f.adjusted.eValue, show: (f) => <>{fmtNum(f.adjusted.eValue, 2)}<small class="ci">{fmtNum(f.adjusted.eValueLimit, 2)}</small></> },
            { key: 'e_value_limit', label: 'E-value of the CI limit', csvOnly: true, value: (f) => f.adjusted.eValueLimit },
            { key: 'placebo_flagged_share', label: 'Placebos flagged', numeric: true, value: (f) => f.adjusted.placebo?.flaggedShare ?? null, show: (f) => (f.adjusted.placebo ? <>{fmtPct(f.adjusted.placebo.flaggedShare)}<small class="ci">of {f.adjusted.placebo.placebos}</small></> : '—') },
            { key: 'placebo_p', label: 'Placebo p', csvOnly: true, value: (f) => f.adjusted.placebo?.p ?? null },
            { key: 'placebo_q', label: 'Placebo q', numeric: true, value: (f) => f.adjusted.placebo?.q ?? null, show: (f) => fmtP(f.adjusted.placebo?.q ?? null) },
            { key: 'high_retention', label: 'Flag', value: (f) => f.highRetention, show: (f) => (f.highRetention ? <span class="tag good">high retention</span> : '') },
            ...evidenceColumns(),
          ],
        }),
        table<HighRetentionRow>({
          id: 'not-enough-data', title: 'Not enough data (listed, never ranked)', rows: thin, empty: 'Every feature had enough users to test.',
          columns: [
            { key: 'feature', label: 'Feature', value: (f) => f.name },
            countCol<HighRetentionRow>('adopters', 'Adopters', (f) => f.adopters.n),
            countCol<HighRetentionRow>('non_adopters', 'Non-adopters', (f) => f.nonAdopters.n),
            { key: 'status', label: 'Status', value: () => 'not enough data', show: () => <span class="tag nodata">not enough data</span> },
          ],
        }),
        ...(d.aha
          ? [table<AhaBucket>({
              id: 'aha', title: `${d.aha.name}: day-${d.aha.n} retention by uses in the first ${d.aha.window} days`, rows: d.aha.buckets, empty: 'No new users.',
              highlight: (b) => b.uses === d.aha!.threshold,
              columns: [
                { key: 'uses', label: 'Uses', value: (b) => b.uses, show: (b) => `${b.uses}${b.orMore ? '+' : ''}` },
                countCol<AhaBucket>('users', 'Users', (b) => b.users),
                countCol<AhaBucket>('retained', 'Retained', (b) => b.retained),
                { key: 'rate', label: 'Retention (95% CI)', numeric: true, value: (b) => b.retention.rate, show: (b) => (b.users < d.aha!.minN ? <>{fmtPct(b.retention.rate)}<small class="ci">fewer than {d.aha!.minN} users</small></> : <RateCell p={b.retention} />) },
                { key: 'rate_low', label: 'low', csvOnly: true, value: (b) => b.retention.low },
                { key: 'rate_high', label: 'high', csvOnly: true, value: (b) => b.retention.high },
              ],
            })]
          : []),
      ]
    },
    view: (d, p, kit) => {
      const tabs = <RetentionTabs current="features" query={urlWith('', { from: p.from, to: p.to, tz: p.tz, ...(kit.ctx.segment ? { segment: kit.ctx.segment } : {}) })} />
      if (!d.retention || !d.high) {
        return (
          <>
            {tabs}
            <Empty>No features are defined yet. <a href="/app/features">Define features</a> from what people clicked, then come back.</Empty>
          </>
        )
      }
      const h = d.high
      const aha = d.aha
      return (
        <>
          {tabs}
          <section aria-labelledby="h-high">
            <h2 id="h-high">Which features go with higher retention?</h2>
            <p class="muted">
              New users whose first activity was {h.from} to {h.to} ({h.timezone}), compared by whether they used each feature in their first {h.window} days, on day-{h.n} retention
              ({h.mode === 'on' ? 'active on day ' + h.n : 'active on day ' + h.n + ' or later'}). Flagged on the adjusted comparison only: adjusted q &lt; 0.05, adjusted lift &gt; 1, beating random placebo features of the same size and first-week activity (placebo q &lt; 0.05; up to {h.adjustment.placebos} each, drawn in rounds of 20 until more could not change the answer), and at least {h.minN} adopters and non-adopters.
            </p>
            <p class="muted" id="hr-method">
              <strong>Method:</strong> {h.adjustment.method} <strong>Covariates</strong> (days 0–{h.window - 1} only): {h.adjustment.covariates.join('; ')}.
              The E-value is how strongly an unmeasured confounder would have to be tied to both use and return (as a risk ratio) to explain the adjusted lift away; the small figure is for the interval limit nearer 1.
            </p>
            <Note kind="warn">{h.note}</Note>
            <Figures
              label="Population"
              items={[
                { id: 'new-users', label: 'New users', value: fmtNum(h.population.newUsers) },
                { id: 'censored', label: `Not yet at day ${h.n}`, value: fmtNum(h.population.censored), sub: 'left out, not counted as lost' },
                { id: 'baseline', label: `Day-${h.n} retention, everyone`, value: fmtPct(h.population.baseline.rate), sub: `${fmtInterval(h.population.baseline.low, h.population.baseline.high)}, n = ${fmtNum(h.population.baseline.n)}` },
                { id: 'flagged', label: 'Flagged features', value: fmtNum(h.features.filter((f) => f.highRetention).length) },
              ]}
            />
            {kit.table('high-retention')}
            {kit.table('not-enough-data')}
          </section>
          <section aria-labelledby="h-aha">
            <h2 id="h-aha">Aha threshold{aha ? `: ${aha.name}` : ''}</h2>
            {aha ? (
              <>
                <p class="muted">
                  {aha.threshold !== null
                    ? <>Retention stops rising after <strong data-aha-threshold={String(aha.threshold)}>{aha.threshold} use{aha.threshold === 1 ? '' : 's'}</strong> in the first {aha.window} days.</>
                    : <span data-aha-threshold="none">No number of uses retains significantly better than none.</span>}{' '}
                  Rule: the {aha.thresholdRule}. {fmtNum(aha.censored)} users not yet at day {aha.n} are left out.
                </p>
                <IntervalBars
                  id="aha-chart" title={`Day-${aha.n} retention by uses of ${aha.name} in the first ${aha.window} days`} xTitle="Uses in the first days"
                  baseline={h.population.baseline.rate}
                  bars={aha.buckets.map((b) => ({ label: `${b.uses}${b.orMore ? '+' : ''}`, rate: b.retention.rate, lo: b.retention.low, hi: b.retention.high, n: b.users, highlight: b.uses === aha.threshold }))}
                />
                {kit.table('aha')}
              </>
            ) : null}
          </section>
          <section aria-labelledby="h-feature-retention">
            <h2 id="h-feature-retention">Retention of each feature</h2>
            <p class="muted">Adoption: share of users active {d.retention.from} to {d.retention.to} who used the feature. Retention: of the users whose first use fell in the window, the share who used it again on day N.</p>
            {kit.table('feature-retention')}
          </section>
        </>
      )
    },
  }
}

export async function loadRetentionFeaturesPage(ctx: { client: Parameters<typeof listFeatures>[0]; project: { id: string } }) {
  return retentionFeaturesPage(await listFeatures(ctx.client, ctx.project.id))
}
