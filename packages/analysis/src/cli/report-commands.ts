import type { ClickHouseClient } from '@clickhouse/client'
import { accountFeatureReport, type AccountFeatureReport } from '../retention/account-feature.js'
import { ahaReport, type AhaReport } from '../retention/aha.js'
import { retentionReport, type RetentionReport } from '../retention/day-n.js'
import { featureRetentionReport, type FeatureRetentionReport } from '../retention/feature-retention.js'
import { highRetentionReport, type HighRetentionReport } from '../retention/high-retention.js'
import { featureRetentionBreakdown, highRetentionBreakdown, retentionBreakdown, type FeatureRetentionBreakdown, type HighRetentionBreakdown, type RetentionBreakdown } from '../segments/breakdown.js'
import { featureRetentionBreakdownTables, highRetentionBreakdownTables, retentionBreakdownTables } from './breakdown-tables.js'
import { camelParams, parseFlags } from './args.js'
import type { CliContext } from './context.js'
import { render, type OutputFormat, type Table } from './format.js'
import type { ReportCommand } from './registry.js'
import {
  accountFeatureTables,
  ahaNotes,
  ahaTables,
  featureRetentionTables,
  highRetentionNotes,
  highRetentionTables,
  retentionTables,
} from './tables.js'

// Every report takes a segment: a saved one's id (--segment) or a definition as JSON (--segment-def).
const WINDOW = ['from', 'to', 'as-of', 'timezone', 'segment', 'segment-def']

/** Query parameters are snake_case on the wire (`minN` → `min_n`). */
const snakeKeys = (p: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(p).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]))

interface Spec<R> {
  name: string
  summary: string
  usage: string
  flags: string[]
  booleans?: string[]
  /** Flag → report parameter where the names differ. */
  rename?: Record<string, string>
  path: string
  local(client: ClickHouseClient, params: Record<string, string> & { project: string }): Promise<R>
  tables(r: R, format: OutputFormat): Table[]
  notes?(r: R): string[]
}

/** Runs a report over HTTP or directly, and renders it. Parameters travel as strings either way. */
function reportCommand<R>(spec: Spec<R>): ReportCommand {
  return {
    name: spec.name,
    summary: spec.summary,
    usage: spec.usage,
    async run(argv: string[], ctx: CliContext): Promise<string> {
      const { flags } = parseFlags(argv, [...WINDOW, ...spec.flags], { booleans: spec.booleans ?? [] })
      const params = camelParams(flags, spec.rename)
      const report = ctx.http
        ? ((await ctx.http.request('GET', spec.path, snakeKeys(params))) as R)
        : await spec.local(ctx.client, { ...params, project: ctx.projectId })
      return render(ctx.format, report, spec.tables(report, ctx.format), spec.notes?.(report) ?? [])
    },
  }
}

export const RETENTION_COMMANDS: ReportCommand[] = [
  reportCommand<RetentionReport>({
    name: 'retention',
    summary: 'day-N retention by cohort (product retention by default)',
    usage:
      'retention --from D --to D [--n 0,1,7,14,30 | --n 0-30] [--mode on|on_or_after] [--start first|recurring]\n' +
      '          [--cohort day|week|month] [--start-feature ID] [--return-feature ID] [--as-of T] [--timezone TZ]',
    flags: ['n', 'mode', 'start', 'cohort', 'start-feature', 'return-feature'],
    rename: { n: 'days' },
    path: '/v1/analysis/retention',
    local: (client, p) => retentionReport(client, p as never),
    tables: retentionTables,
  }),
  reportCommand<FeatureRetentionReport>({
    name: 'feature-retention',
    summary: 'per feature: adoption among active users and day-N retention of new adopters',
    usage: 'feature-retention --from D --to D [--n 1,7,14,30] [--mode on|on_or_after] [--return feature|any] [--features a,b] [--as-of T] [--timezone TZ]',
    flags: ['n', 'mode', 'return', 'features'],
    rename: { n: 'days' },
    path: '/v1/analysis/feature-retention',
    local: (client, p) => featureRetentionReport(client, p as never),
    tables: featureRetentionTables,
  }),
  reportCommand<HighRetentionReport>({
    name: 'high-retention',
    summary: 'features whose first-week adopters retain better, adjusted for first-week activity',
    usage: 'high-retention --from D --to D [--n 30] [--window 7] [--min-n 30] [--mode on|on_or_after] [--features a,b] [--placebos 20] [--as-of T] [--timezone TZ]',
    flags: ['n', 'window', 'min-n', 'mode', 'features', 'placebos'],
    path: '/v1/analysis/high-retention',
    local: (client, p) => highRetentionReport(client, p as never),
    tables: highRetentionTables,
    notes: highRetentionNotes,
  }),
  reportCommand<RetentionBreakdown>({
    name: 'retention-by',
    summary: 'day-N retention for everyone and per value of a property (--breakdown person.plan)',
    usage: 'retention-by --breakdown PROPERTY --from D --to D [--n 0,1,7,14,30] [--max-groups 10] [--min-n 30] [--mode on|on_or_after] [--cohort day|week|month] [--as-of T] [--timezone TZ]',
    flags: ['breakdown', 'max-groups', 'min-n', 'n', 'mode', 'start', 'cohort', 'start-feature', 'return-feature'],
    rename: { n: 'days' },
    path: '/v1/analysis/retention',
    local: (client, p) => retentionBreakdown(client, p as never),
    tables: retentionBreakdownTables,
  }),
  reportCommand<FeatureRetentionBreakdown>({
    name: 'feature-retention-by',
    summary: 'adoption and day-N retention of each feature per value of a property',
    usage: 'feature-retention-by --breakdown PROPERTY --from D --to D [--n 1,7,14,30] [--max-groups 10] [--min-n 30] [--return feature|any] [--features a,b] [--as-of T] [--timezone TZ]',
    flags: ['breakdown', 'max-groups', 'min-n', 'n', 'mode', 'return', 'features'],
    rename: { n: 'days' },
    path: '/v1/analysis/feature-retention',
    local: (client, p) => featureRetentionBreakdown(client, p as never),
    tables: featureRetentionBreakdownTables,
  }),
  reportCommand<HighRetentionBreakdown>({
    name: 'high-retention-by',
    summary: 'the high-retention report per value of a property, with q over every cell and a heterogeneity test',
    usage: 'high-retention-by --breakdown PROPERTY --from D --to D [--max-groups 10] [--n 30] [--window 7] [--min-n 30] [--features a,b] [--placebos 20] [--as-of T] [--timezone TZ]',
    flags: ['breakdown', 'max-groups', 'n', 'window', 'min-n', 'mode', 'features', 'placebos'],
    path: '/v1/analysis/high-retention',
    local: (client, p) => highRetentionBreakdown(client, p as never),
    tables: highRetentionBreakdownTables,
    notes: (r) => [r.note],
  }),
  reportCommand<AhaReport>({
    name: 'aha',
    summary: 'day-N retention by number of uses of a feature in the first week, and the threshold',
    usage: 'aha --feature ID --from D --to D [--n 30] [--window 7] [--max-uses 10] [--min-n 30] [--mode on|on_or_after] [--as-of T] [--timezone TZ]',
    flags: ['feature', 'n', 'window', 'max-uses', 'min-n', 'mode'],
    path: '/v1/analysis/aha',
    local: (client, p) => ahaReport(client, p as never),
    tables: ahaTables,
    notes: ahaNotes,
  }),
  reportCommand<AccountFeatureReport>({
    name: 'account-features',
    summary: 'feature adoption and retention per account',
    usage: 'account-features --from D --to D [--n 7,30] [--return feature|any] [--features a,b] [--detail] [--as-of T] [--timezone TZ]',
    flags: ['n', 'mode', 'return', 'features'],
    booleans: ['detail'],
    rename: { n: 'days' },
    path: '/v1/analysis/account-features',
    local: (client, p) => accountFeatureReport(client, p as never),
    tables: accountFeatureTables,
  }),
]
