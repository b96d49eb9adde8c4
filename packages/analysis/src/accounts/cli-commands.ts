import type { ClickHouseClient } from '@clickhouse/client'
import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { accountDetail, type AccountDetail } from './account-detail.js'
import { healthReport, type HealthReport } from './health-report.js'
import { importAccountData, IMPORT_KINDS, type ImportKind, type ImportOutcome } from './import/index.js'
import { ReportParamError } from './params-error.js'
import { renewalsReport, type RenewalsReport } from './renewals-report.js'
import { healthText, renewalsText, revenueText, seatSharingText } from './report-text.js'
import { revenueReport, type RevenueReport } from './revenue-report.js'
import { detectSeatSharing, type SeatSharingResult } from './seat-sharing.js'

/**
 * What a command needs from the CLI around it (a structural slice of the CLI's context): either a
 * collector's HTTP API (`http`), or a store client and project to query directly. `client` and
 * `projectId` are only read when `http` is absent.
 */
export interface AccountsCliContext {
  readonly http?: {
    request(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, query?: Record<string, string | undefined>, body?: unknown): Promise<unknown>
  } | null
  readonly client: ClickHouseClient
  readonly projectId: string
  readonly format?: 'table' | 'csv' | 'json'
}

export interface AccountsCommand {
  name: string
  summary: string
  usage: string
  /** Returns the text to print. Bad arguments throw ReportParamError. */
  run(argv: string[], ctx: AccountsCliContext): Promise<string>
}

type Flags = Record<string, string | boolean | undefined>

/** A segment restricts an account report to its accounts: a saved one's id, or a definition as JSON. */
const SEGMENT_FLAGS = { segment: 'string', 'segment-def': 'string' } as const
const segmentOf = (flags: Flags) => ({ segment: str(flags, 'segment'), segmentDef: str(flags, 'segment-def') })
const segmentQuery = (flags: Flags) => ({ segment: str(flags, 'segment'), segment_def: str(flags, 'segment-def') })

function parse(argv: string[], options: Record<string, 'string' | 'boolean'>): { flags: Flags; positionals: string[] } {
  const spec = Object.fromEntries(Object.entries({ ...options, json: 'boolean', 'as-of': 'string' }).map(([k, type]) => [k, { type }]))
  try {
    const { values, positionals } = parseArgs({ args: argv, options: spec as never, allowPositionals: true, strict: true })
    return { flags: values as Flags, positionals }
  } catch (err) {
    throw new ReportParamError((err as Error).message, 'argv')
  }
}

const str = (f: Flags, k: string) => (typeof f[k] === 'string' ? (f[k] as string) : undefined)
function num(f: Flags, k: string): number | undefined {
  const v = str(f, k)
  if (v === undefined) return undefined
  const n = Number(v)
  if (!Number.isFinite(n)) throw new ReportParamError(`--${k} must be a number`, k)
  return n
}
const list = (f: Flags, k: string) => str(f, k)?.split(',').map((s) => s.trim()).filter(Boolean)

function csv(columns: string[], rows: (string | number | null)[][]): string {
  const esc = (v: string | number | null) => {
    const s = v === null ? '' : String(v)
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
  }
  return [columns, ...rows].map((r) => r.map(esc).join(',')).join('\n')
}

/** `--format json` (or `--json`) prints the report object, `csv` its main table, `table` the text rendering. */
function output<R>(ctx: AccountsCliContext, flags: Flags, report: R, text: (r: R) => string, table?: (r: R) => string): string {
  const format = flags.json ? 'json' : (ctx.format ?? 'table')
  if (format === 'json') return JSON.stringify(report, null, 2)
  if (format === 'csv' && table) return table(report)
  return text(report)
}

/** Over HTTP when the CLI talks to a collector, else directly on the store. */
async function fetchReport<R>(ctx: AccountsCliContext, path: string, query: Record<string, string | number | undefined>, local: () => Promise<R>): Promise<R> {
  if (!ctx.http) return local()
  const q = Object.fromEntries(Object.entries(query).map(([k, v]) => [k, v === undefined ? undefined : String(v)]))
  return (await ctx.http.request('GET', path, q)) as R
}

async function importFile(ctx: AccountsCliContext, flags: Flags, file: string | undefined): Promise<string> {
  if (!file) throw new ReportParamError('name the file to import', 'file')
  const kind = str(flags, 'kind')
  if (kind !== undefined && !(IMPORT_KINDS as readonly string[]).includes(kind)) throw new ReportParamError(`--kind must be one of ${IMPORT_KINDS.join(', ')}`, 'kind')
  const content = await readFile(file, 'utf8')
  const stripe = flags.stripe === true || file.endsWith('.json')
  const accountIdKey = str(flags, 'account-id-key')
  let r: ImportOutcome
  if (ctx.http) {
    let body: unknown
    try {
      body = stripe ? JSON.parse(content) : { csv: content }
    } catch (err) {
      throw new ReportParamError(`${file} is not JSON: ${(err as Error).message}`, 'file')
    }
    const res = (await ctx.http.request('POST', '/v1/accounts/import', { kind, account_id_key: accountIdKey }, body)) as {
      import_id: string; status: 'committed' | 'unchanged'; kind: string; rows: { accounts: number; contracts: number; renewals: number }; skipped: { id: string; status: string }[]
    }
    r = { ok: true, importId: res.import_id, status: res.status, kind: res.kind, rows: res.rows, skipped: res.skipped }
  } else {
    r = await importAccountData(ctx.client, ctx.projectId, stripe ? { format: 'stripe', content, accountIdKey } : { format: 'csv', content, kind: kind as ImportKind | undefined })
  }
  if (flags.json || ctx.format === 'json') return JSON.stringify(r, null, 2)
  if (!r.ok) {
    const lines = r.errors.map((e) => `  ${e.line ? `line ${e.line}` : e.field ?? ''}: ${e.message}`)
    return [`Refused: ${r.errorCount} problem(s) in ${file}; nothing was imported.`, ...lines].join('\n')
  }
  return `${r.status === 'unchanged' ? 'Unchanged (same file as the last import)' : 'Imported'} ${file} as ${r.kind}: ` +
    `${r.rows.accounts} accounts, ${r.rows.contracts} contract versions, ${r.rows.renewals} renewals` +
    (r.skipped.length ? `; skipped ${r.skipped.length} (${r.skipped.map((s) => `${s.id} ${s.status}`).join(', ')})` : '')
}

function detailText(d: AccountDetail): string {
  return [
    `${d.accountId}${d.account?.name ? ` (${d.account.name})` : ''}: ARR ${d.arr.toFixed(2)} ${d.currency ?? ''}, ${d.contracts.length} contract versions`,
    `Renewals: ${d.renewals.map((r) => `${r.dueDate} ${r.outcome}`).join(', ') || 'none yet'}`,
    `Last ${d.usage.from}..${d.usage.to}: ${d.usage.activeUsers} active people` + (d.usage.seats ? ` of ${d.usage.seats} seats` : '') +
      `, ${d.usage.activeDaysPerUser.toFixed(1)} active days each; features: ${Object.keys(d.usage.features).join(', ') || 'none'}`,
  ].join('\n')
}

export const ACCOUNTS_COMMANDS: AccountsCommand[] = [
  {
    name: 'accounts',
    summary: 'revenue: MRR/ARR, movements, renewal rates, churn, CRR, NRR/GRR, ARPA, LTV; or import a file, or show one account',
    usage:
      'accounts [--as-of D] [--from D] [--currency USD] [--gross-margin 0.8] [--cac 5000]\n' +
      'accounts import <file.csv|export.json> [--kind accounts|contracts|renewals] [--stripe] [--account-id-key KEY]\n' +
      'accounts show <account id> [--as-of D]',
    async run(argv, ctx) {
      const { flags, positionals } = parse(argv, {
        from: 'string', currency: 'string', 'gross-margin': 'string', cac: 'string', kind: 'string', stripe: 'boolean', 'account-id-key': 'string',
      })
      const [sub, arg] = positionals
      if (sub === 'import') return importFile(ctx, flags, arg)
      if (sub === 'show') {
        if (!arg) throw new ReportParamError('name the account', 'account')
        const d = await fetchReport(ctx, `/v1/accounts/${encodeURIComponent(arg)}`, { as_of: str(flags, 'as-of') },
          () => accountDetail(ctx.client, { projectId: ctx.projectId, accountId: arg, asOf: str(flags, 'as-of') }))
        if (!d) return `No account ${arg}.`
        return output(ctx, flags, d, detailText, (x) => csv(['month', 'mrr'], x.months.map((m) => [m.month, m.mrr])))
      }
      if (sub !== undefined) throw new ReportParamError(`unknown accounts subcommand ${sub}: import, show, or none`, 'argv')
      const currency = str(flags, 'currency')?.toUpperCase()
      const r = await fetchReport<RevenueReport>(ctx, '/v1/reports/revenue',
        { as_of: str(flags, 'as-of'), from: str(flags, 'from'), currency, gross_margin: num(flags, 'gross-margin'), cac: num(flags, 'cac') },
        () => revenueReport(ctx.client, {
          projectId: ctx.projectId, asOf: str(flags, 'as-of'), from: str(flags, 'from'), currency, grossMargin: num(flags, 'gross-margin'), cac: num(flags, 'cac'),
        }))
      return output(ctx, flags, r, revenueText, (x) => csv(
        ['month', 'start', 'new', 'expansion', 'reactivation', 'contraction', 'churned', 'end', 'identity_holds'],
        x.months.map((m) => [m.month, m.start, m.new, m.expansion, m.reactivation, m.contraction, m.churned, m.end, String(m.identityHolds)]),
      ))
    },
  },
  {
    name: 'renewals',
    summary: 'usage before each renewal, and renewal rate of accounts that used each feature vs those that did not',
    usage: 'renewals [--as-of D] [--lookback-days 90] [--min-n 30] [--currency USD] [--segment ID | --segment-def JSON]',
    async run(argv, ctx) {
      const { flags } = parse(argv, { 'lookback-days': 'string', 'min-n': 'string', currency: 'string', ...SEGMENT_FLAGS })
      const currency = str(flags, 'currency')?.toUpperCase()
      const r = await fetchReport<RenewalsReport>(ctx, '/v1/reports/renewals',
        { as_of: str(flags, 'as-of'), lookback_days: num(flags, 'lookback-days'), min_n: num(flags, 'min-n'), currency, ...segmentQuery(flags) },
        () => renewalsReport(ctx.client, {
          projectId: ctx.projectId, asOf: str(flags, 'as-of'), lookbackDays: num(flags, 'lookback-days'), minN: num(flags, 'min-n'), currency, ...segmentOf(flags),
        }))
      return output(ctx, flags, r, renewalsText, (x) => csv(
        ['feature', 'users', 'users_renewed', 'users_rate', 'users_low', 'users_high', 'non_users', 'non_users_renewed', 'non_users_rate', 'non_users_low', 'non_users_high', 'lift', 'difference', 'difference_low', 'difference_high', 'p', 'q', 'high_renewal'],
        x.featureRenewal.features.map((f) => {
          const c = f.comparison
          return [f.feature, c.group.n, c.group.k, c.group.rate, c.group.low, c.group.high, c.baseline.n, c.baseline.k, c.baseline.rate, c.baseline.low, c.baseline.high,
            c.lift, c.difference.diff, c.difference.low, c.difference.high, c.p, f.q, String(f.highRenewal)]
        }),
      ))
    },
  },
  {
    name: 'health',
    summary: 'health score validated on past renewals (AUC, rate per band), temperature and quadrant action per account',
    usage: 'health [--as-of D] [--components a,b,…] [--weighting fit|manual] [--weights 1,2,…] [--window-days N] [--horizon-days N] (default: from the stored history) [--train-share 0.6] [--no-seat-sharing] [--segment ID | --segment-def JSON]',
    async run(argv, ctx) {
      const { flags } = parse(argv, {
        components: 'string', weighting: 'string', weights: 'string', 'window-days': 'string', 'horizon-days': 'string', 'train-share': 'string', 'no-seat-sharing': 'boolean', ...SEGMENT_FLAGS,
      })
      const weighting = str(flags, 'weighting')
      if (weighting !== undefined && weighting !== 'fit' && weighting !== 'manual') throw new ReportParamError('--weighting must be fit or manual', 'weighting')
      const weights = list(flags, 'weights')?.map(Number)
      if (weights?.some((w) => !Number.isFinite(w))) throw new ReportParamError('--weights must be numbers', 'weights')
      const r = await fetchReport<HealthReport>(ctx, '/v1/reports/health', {
        as_of: str(flags, 'as-of'), components: str(flags, 'components'), weighting, weights: str(flags, 'weights'), window_days: num(flags, 'window-days'),
        horizon_days: num(flags, 'horizon-days'), train_share: num(flags, 'train-share'), seat_sharing: flags['no-seat-sharing'] ? '0' : undefined, ...segmentQuery(flags),
      }, () => healthReport(ctx.client, {
        projectId: ctx.projectId, asOf: str(flags, 'as-of'), components: list(flags, 'components'), weighting, weights,
        windowDays: num(flags, 'window-days'), horizonDays: num(flags, 'horizon-days'), trainShare: num(flags, 'train-share'), seatSharing: flags['no-seat-sharing'] ? false : undefined, ...segmentOf(flags),
      }))
      return output(ctx, flags, r, healthText, (x) => csv(
        ['account', 'name', 'arr', 'health', 'band', 'temperature', 'quadrant', 'action', 'seat_sharing_suspected'],
        x.accounts.map((a) => [a.accountId, a.name, a.arr, a.health, a.band, a.temperature, a.quadrant, a.action, String(a.seatSharingSuspected)]),
      ))
    },
  },
  {
    name: 'seat-sharing',
    summary: 'people who look like several people on one seat, with the evidence',
    usage: 'seat-sharing [--from D] [--to D] [--min-overlap-days 2]',
    async run(argv, ctx) {
      const { flags } = parse(argv, { from: 'string', to: 'string', 'min-overlap-days': 'string' })
      const to = str(flags, 'to') ?? str(flags, 'as-of') ?? new Date().toISOString().slice(0, 10)
      const from = str(flags, 'from') ?? new Date(Date.parse(`${to}T00:00:00Z`) - 30 * 86_400_000).toISOString().slice(0, 10)
      const r = await fetchReport<SeatSharingResult>(ctx, '/v1/reports/seat-sharing', { from, to, min_overlap_days: num(flags, 'min-overlap-days') },
        () => detectSeatSharing(ctx.client, ctx.projectId, from, to, { minOverlapDays: num(flags, 'min-overlap-days') }))
      return output(ctx, flags, r, seatSharingText, (x) => csv(
        ['account', 'user', 'reasons', 'overlap_days', 'hours_per_active_day', 'peer_median_hours_per_day', 'devices'],
        x.accounts.flatMap((a) => a.flaggedUsers.map((u) => [a.accountId, u.userId, u.reasons.join(' '), u.overlapDays, u.activity.hoursPerActiveDay, u.activity.peerMedianHoursPerDay, u.activity.devices])),
      ))
    },
  },
]
