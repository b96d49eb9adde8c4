import type { AccountFeatureReport } from '../retention/account-feature.js'
import type { AhaReport } from '../retention/aha.js'
import type { RetentionCell } from '../retention/cells.js'
import type { RetentionReport } from '../retention/day-n.js'
import type { FeatureRetentionReport } from '../retention/feature-retention.js'
import type { FeatureEvidence } from '../retention/evidence.js'
import type { HighRetentionReport } from '../retention/high-retention.js'
import { describeSet } from '../nudges/experiment.js'
import type { FeatureDefinition } from '../features/rules.js'
import type { FeatureSuggestion } from '../features/suggest.js'
import { rateCell, type OutputFormat, type Table } from './format.js'

/**
 * Report → tables. `wide` (for reading) puts one "rate (k/n)" cell per N in a row; `long` (for
 * CSV) puts every number in its own column, one row per N.
 */
const cellColumns = ['n', 'eligible', 'censored', 'retained', 'rate', 'low', 'high']
const cellValues = (c: RetentionCell) => [c.n, c.eligible, c.censored, c.retained, c.rate, c.low, c.high]

export function retentionTables(r: RetentionReport, format: OutputFormat): Table[] {
  const all = [...r.cohorts, r.total]
  if (format === 'csv') {
    return [{ columns: ['cohort', 'size', ...cellColumns], rows: all.flatMap((c) => c.cells.map((x) => [c.cohort, c.size, ...cellValues(x)])) }]
  }
  return [
    {
      columns: ['cohort', 'size', ...r.days.map((n) => `day ${n}`)],
      rows: all.map((c) => [c.cohort, c.size, ...c.cells.map((x) => rateCell(x.retained, x.eligible, x.rate))]),
    },
  ]
}

export function featureRetentionTables(r: FeatureRetentionReport, format: OutputFormat): Table[] {
  if (format === 'csv') {
    return [
      {
        columns: ['feature_id', 'name', 'version', 'active_users', 'adopters', 'adoption', 'adoption_low', 'adoption_high', 'new_adopters', ...cellColumns],
        rows: r.features.flatMap((f) =>
          f.cells.map((c) => [f.featureId, f.name, f.version, f.activeUsers, f.adopters, f.adoption.rate, f.adoption.low, f.adoption.high, f.newAdopters, ...cellValues(c)]),
        ),
      },
    ]
  }
  return [
    {
      columns: ['feature', 'adoption', 'new adopters', ...r.days.map((n) => `day ${n}`)],
      rows: r.features.map((f) => [
        f.name,
        rateCell(f.adopters, f.activeUsers, f.adoption.rate, f.adoption.low, f.adoption.high),
        f.newAdopters,
        ...f.cells.map((x) => rateCell(x.retained, x.eligible, x.rate)),
      ]),
    },
  ]
}

export function highRetentionTables(r: HighRetentionReport, format: OutputFormat): Table[] {
  if (format === 'csv') {
    return [
      {
        columns: [
          'feature_id', 'name', 'status', 'high_retention', 'n_adopters', 'retained_adopters', 'rate_adopters', 'low_adopters', 'high_adopters',
          'n_non_adopters', 'retained_non_adopters', 'rate_non_adopters', 'low_non_adopters', 'high_non_adopters', 'lift', 'difference',
          'difference_low', 'difference_high', 'p', 'test', 'q', 'adjusted_lift', 'adjusted_low', 'adjusted_high', 'adjusted_p', 'adjusted_q',
          'counterfactual_rate', 'adjusted_difference', 'adjusted_difference_low', 'adjusted_difference_high', 'e_value', 'e_value_limit',
          'placebos', 'placebo_flagged_share', 'placebo_p', 'placebo_q', 'co_used', 'evidence', 'experiment_nudge', 'experiment_cace', 'experiment_low', 'experiment_high',
        ],
        rows: r.features.map((f) => [
          f.featureId, f.name, f.status, f.highRetention ? 'yes' : 'no', f.adopters.n, f.adopters.k, f.adopters.rate, f.adopters.low, f.adopters.high,
          f.nonAdopters.n, f.nonAdopters.k, f.nonAdopters.rate, f.nonAdopters.low, f.nonAdopters.high, f.lift, f.difference.diff,
          f.difference.low, f.difference.high, f.p, f.test, f.q, f.adjusted.lift, f.adjusted.low, f.adjusted.high, f.adjusted.p, f.adjusted.q,
          f.adjusted.rateCounterfactual, f.adjusted.difference, f.adjusted.differenceLow, f.adjusted.differenceHigh, f.adjusted.eValue,
          f.adjusted.eValueLimit, f.adjusted.placebo?.placebos ?? null, f.adjusted.placebo?.flaggedShare ?? null, f.adjusted.placebo?.p ?? null, f.adjusted.placebo?.q ?? null,
          f.adjusted.coUsed.join(' '), f.evidence.label, f.evidence.experiment?.nudgeId ?? null, f.evidence.experiment?.cace ?? null,
          f.evidence.experiment?.alwaysValid.low ?? null, f.evidence.experiment?.alwaysValid.high ?? null,
        ]),
      },
    ]
  }
  const x = (v: number | null) => (v === null ? '–' : `${v.toFixed(2)}×`)
  const pv = (v: number | null) => (v === null ? '–' : v < 0.0001 ? '<0.0001' : v.toFixed(4))
  return [
    {
      columns: ['feature', 'flag', 'adopters', 'non-adopters', 'lift', 'p', 'q', 'adjusted lift', 'adj. q', 'E-value (limit)', 'placebos flagged', 'placebo q', 'evidence'],
      rows: r.features.map((f) => [
        f.name,
        f.status === 'not_enough_data' ? 'not enough data' : f.highRetention ? 'HIGH RETENTION' : '',
        rateCell(f.adopters.k, f.adopters.n, f.adopters.rate, f.adopters.low, f.adopters.high),
        rateCell(f.nonAdopters.k, f.nonAdopters.n, f.nonAdopters.rate),
        x(f.lift),
        pv(f.p),
        pv(f.q),
        f.adjusted.lift === null ? '–' : `${x(f.adjusted.lift)} [${f.adjusted.low?.toFixed(2) ?? '–'}–${f.adjusted.high?.toFixed(2) ?? '–'}]`,
        pv(f.adjusted.q),
        f.adjusted.eValue === null ? '–' : `${f.adjusted.eValue.toFixed(2)} (${f.adjusted.eValueLimit?.toFixed(2) ?? '–'})`,
        f.adjusted.placebo ? `${Math.round(f.adjusted.placebo.flaggedShare * 100)}% of ${f.adjusted.placebo.placebos}` : '–',
        pv(f.adjusted.placebo?.q ?? null),
        evidenceCell(f.evidence),
      ]),
    },
  ]
}

function evidenceCell(e: FeatureEvidence): string {
  const ex = e.experiment
  if (!ex) return e.testWithNudge ? `${e.label}; test with a nudge` : e.label
  const set = describeSet(ex.alwaysValid, (v) => `${(v * 100).toFixed(1)}`)
  return `${e.label} (nudge ${ex.nudgeId}: CACE ${ex.cace === null ? '–' : (ex.cace * 100).toFixed(1)} pts, always-valid ${set})`
}

export function highRetentionNotes(r: HighRetentionReport): string[] {
  const b = r.population.baseline
  return [
    `New users ${r.from} … ${r.to} (${r.timezone}), day-${r.n} retention (${r.mode}), adoption in days 0–${r.window - 1}, min n ${r.minN}.`,
    `Population: ${r.population.newUsers} new users, ${r.population.censored} censored; baseline ${rateCell(b.k, b.n, b.rate, b.low, b.high)}.`,
    `Week-1 strata: ${r.strata.map((s) => `${s.label} day(s): ${s.users}`).join(', ')}.`,
    `Adjustment: ${r.adjustment.method}`,
    `Covariates: ${r.adjustment.covariates.join('; ')}. Placebos per feature: ${r.adjustment.placebos}.`,
    'E-value: how strongly an unmeasured confounder would have to be tied to both use and return (risk ratio) to explain the adjusted lift away; in brackets, for the interval limit nearer 1.',
    'Evidence: "association (adjusted)" from this comparison alone; "confirmed by experiment" when a nudge towards the feature gives a complier effect (CACE) whose always-valid 95% interval is above no effect; "not confirmed" when it includes no effect. A flagged feature without one can be tested with a nudge towards it (dashboard: Nudges → New nudge).',
    r.note,
  ]
}

export function ahaTables(r: AhaReport, format: OutputFormat): Table[] {
  if (format === 'csv') {
    return [{ columns: ['uses', 'or_more', 'users', 'retained', 'rate', 'low', 'high'], rows: r.buckets.map((b) => [b.uses, b.orMore ? 'yes' : 'no', b.users, b.retained, b.retention.rate, b.retention.low, b.retention.high]) }]
  }
  return [
    {
      columns: ['uses in first week', `day-${r.n} retention`],
      rows: r.buckets.map((b) => [`${b.uses}${b.orMore ? '+' : ''}`, rateCell(b.retained, b.users, b.retention.rate, b.retention.low, b.retention.high)]),
    },
  ]
}

export function ahaNotes(r: AhaReport): string[] {
  return [
    `${r.name}: new users ${r.from} … ${r.to} (${r.timezone}), ${r.censored} censored.`,
    r.threshold === null ? 'No aha threshold: no count of uses retains significantly better than none.' : `Aha threshold: ${r.threshold} uses (${r.thresholdRule}).`,
  ]
}

export function accountFeatureTables(r: AccountFeatureReport, format: OutputFormat): Table[] {
  const tables: Table[] =
    format === 'csv'
      ? [
          {
            columns: ['feature_id', 'name', 'active_accounts', 'adopting_accounts', 'adoption', 'adoption_low', 'adoption_high', 'new_accounts', ...cellColumns],
            rows: r.features.flatMap((f) =>
              f.cells.map((c) => [f.featureId, f.name, f.activeAccounts, f.adoptingAccounts, f.adoption.rate, f.adoption.low, f.adoption.high, f.newAccounts, ...cellValues(c)]),
            ),
          },
        ]
      : [
          {
            columns: ['feature', 'account adoption', 'new accounts', ...r.days.map((n) => `day ${n}`)],
            rows: r.features.map((f) => [
              f.name,
              rateCell(f.adoptingAccounts, f.activeAccounts, f.adoption.rate, f.adoption.low, f.adoption.high),
              f.newAccounts,
              ...f.cells.map((x) => rateCell(x.retained, x.eligible, x.rate)),
            ]),
          },
        ]
  if (r.accounts) {
    tables.push({
      title: format === 'csv' ? undefined : 'Per account',
      columns: ['account', 'active_users', 'feature_id', 'users', 'share'],
      rows: r.accounts.flatMap((a) => (a.features.length ? a.features.map((f) => [a.account, a.activeUsers, f.featureId, f.users, f.share]) : [[a.account, a.activeUsers, null, 0, 0]])),
    })
  }
  return tables
}

export function featureTables(features: readonly FeatureDefinition[]): Table[] {
  return [{ columns: ['id', 'name', 'version', 'rules'], rows: features.map((f) => [f.id, f.name, f.version, JSON.stringify(f.rules)]) }]
}

export function suggestionTables(s: readonly FeatureSuggestion[]): Table[] {
  return [{ columns: ['name', 'source', 'users', 'events', 'defined', 'rules'], rows: s.map((x) => [x.name, x.source, x.users, x.events, x.defined ? 'yes' : 'no', JSON.stringify(x.rules)]) }]
}
