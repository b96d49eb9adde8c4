import type { ClickHouseClient } from '@clickhouse/client'
import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { accountDetail } from './account-detail.js'
import { healthReport } from './health-report.js'
import { importAccountData, IMPORT_KINDS, type ImportKind } from './import/index.js'
import { ReportParamError } from './params-error.js'
import { renewalsReport } from './renewals-report.js'
import { healthText, renewalsText, revenueText, seatSharingText } from './report-text.js'
import { revenueReport } from './revenue-report.js'
import { detectSeatSharing } from './seat-sharing.js'

/** What a command needs from the CLI around it. */
export interface AccountsCliContext {
  client: ClickHouseClient
  projectId: string
}

export interface AccountsCommand {
  name: string
  summary: string
  usage: string
  /** Returns the text to print (JSON with --json). Bad arguments throw ReportParamError. */
  run(argv: string[], ctx: AccountsCliContext): Promise<string>
}

type Flags = Record<string, string | boolean | undefined>

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
const out = (f: Flags, report: unknown, text: () => string) => (f.json ? JSON.stringify(report, null, 2) : text())

export const ACCOUNTS_COMMANDS: AccountsCommand[] = [
  {
    name: 'accounts',
    summary: 'revenue: MRR/ARR, movements, renewal rates, churn, CRR, NRR/GRR, ARPA, LTV; or import a file, or show one account',
    usage:
      'accounts [--as-of D] [--from D] [--currency USD] [--gross-margin 0.8] [--cac 5000] [--json]\n' +
      'accounts import <file.csv|export.json> [--kind accounts|contracts|renewals] [--stripe] [--account-id-key KEY]\n' +
      'accounts show <account id> [--as-of D] [--json]',
    async run(argv, ctx) {
      const { flags, positionals } = parse(argv, {
        from: 'string', currency: 'string', 'gross-margin': 'string', cac: 'string', kind: 'string', stripe: 'boolean', 'account-id-key': 'string',
      })
      const [sub, arg] = positionals
      if (sub === 'import') {
        if (!arg) throw new ReportParamError('name the file to import', 'file')
        const kind = str(flags, 'kind')
        if (kind !== undefined && !(IMPORT_KINDS as readonly string[]).includes(kind)) throw new ReportParamError(`--kind must be one of ${IMPORT_KINDS.join(', ')}`, 'kind')
        const content = await readFile(arg, 'utf8')
        const stripe = flags.stripe === true || arg.endsWith('.json')
        const r = await importAccountData(ctx.client, ctx.projectId, stripe
          ? { format: 'stripe', content, accountIdKey: str(flags, 'account-id-key') }
          : { format: 'csv', content, kind: kind as ImportKind | undefined })
        if (flags.json) return JSON.stringify(r, null, 2)
        if (!r.ok) {
          const lines = r.errors.map((e) => `  ${e.line ? `line ${e.line}` : e.field ?? ''}: ${e.message}`)
          return [`Refused: ${r.errorCount} problem(s) in ${arg}; nothing was imported.`, ...lines].join('\n')
        }
        return `${r.status === 'unchanged' ? 'Unchanged (same file as the last import)' : 'Imported'} ${arg} as ${r.kind}: ` +
          `${r.rows.accounts} accounts, ${r.rows.contracts} contract versions, ${r.rows.renewals} renewals` +
          (r.skipped.length ? `; skipped ${r.skipped.length} (${r.skipped.map((s) => `${s.id} ${s.status}`).join(', ')})` : '')
      }
      if (sub === 'show') {
        if (!arg) throw new ReportParamError('name the account', 'account')
        const d = await accountDetail(ctx.client, { projectId: ctx.projectId, accountId: arg, asOf: str(flags, 'as-of') })
        if (!d) return `No account ${arg}.`
        return out(flags, d, () => [
          `${d.accountId}${d.account?.name ? ` (${d.account.name})` : ''}: ARR ${d.arr.toFixed(2)} ${d.currency ?? ''}, ${d.contracts.length} contract versions`,
          `Renewals: ${d.renewals.map((r) => `${r.dueDate} ${r.outcome}`).join(', ') || 'none yet'}`,
          `Last ${d.usage.from}..${d.usage.to}: ${d.usage.activeUsers} active people` + (d.usage.seats ? ` of ${d.usage.seats} seats` : '') +
            `, ${d.usage.activeDaysPerUser.toFixed(1)} active days each; features: ${Object.keys(d.usage.features).join(', ') || 'none'}`,
        ].join('\n'))
      }
      if (sub !== undefined) throw new ReportParamError(`unknown accounts subcommand ${sub}: import, show, or none`, 'argv')
      const r = await revenueReport(ctx.client, {
        projectId: ctx.projectId, asOf: str(flags, 'as-of'), from: str(flags, 'from'), currency: str(flags, 'currency')?.toUpperCase(),
        grossMargin: num(flags, 'gross-margin'), cac: num(flags, 'cac'),
      })
      return out(flags, r, () => revenueText(r))
    },
  },
  {
    name: 'renewals',
    summary: 'usage before each renewal, and renewal rate of accounts that used each feature vs those that did not',
    usage: 'renewals [--as-of D] [--lookback-days 90] [--min-n 30] [--currency USD] [--json]',
    async run(argv, ctx) {
      const { flags } = parse(argv, { 'lookback-days': 'string', 'min-n': 'string', currency: 'string' })
      const r = await renewalsReport(ctx.client, {
        projectId: ctx.projectId, asOf: str(flags, 'as-of'), lookbackDays: num(flags, 'lookback-days'), minN: num(flags, 'min-n'), currency: str(flags, 'currency')?.toUpperCase(),
      })
      return out(flags, r, () => renewalsText(r))
    },
  },
  {
    name: 'health',
    summary: 'health score validated on past renewals (AUC, rate per band), temperature and quadrant action per account',
    usage: 'health [--as-of D] [--components a,b,…] [--weighting fit|manual] [--weights 1,2,…] [--window-days 90] [--horizon-days 90] [--train-share 0.6] [--json]',
    async run(argv, ctx) {
      const { flags } = parse(argv, {
        components: 'string', weighting: 'string', weights: 'string', 'window-days': 'string', 'horizon-days': 'string', 'train-share': 'string', 'no-seat-sharing': 'boolean',
      })
      const weighting = str(flags, 'weighting')
      if (weighting !== undefined && weighting !== 'fit' && weighting !== 'manual') throw new ReportParamError('--weighting must be fit or manual', 'weighting')
      const weights = list(flags, 'weights')?.map(Number)
      if (weights?.some((w) => !Number.isFinite(w))) throw new ReportParamError('--weights must be numbers', 'weights')
      const r = await healthReport(ctx.client, {
        projectId: ctx.projectId, asOf: str(flags, 'as-of'), components: list(flags, 'components'), weighting, weights,
        windowDays: num(flags, 'window-days'), horizonDays: num(flags, 'horizon-days'), trainShare: num(flags, 'train-share'), seatSharing: flags['no-seat-sharing'] ? false : undefined,
      })
      return out(flags, r, () => healthText(r))
    },
  },
  {
    name: 'seat-sharing',
    summary: 'people who look like several people on one seat, with the evidence',
    usage: 'seat-sharing [--from D] [--to D] [--min-overlap-days 2] [--json]',
    async run(argv, ctx) {
      const { flags } = parse(argv, { from: 'string', to: 'string', 'min-overlap-days': 'string' })
      const to = str(flags, 'to') ?? str(flags, 'as-of') ?? new Date().toISOString().slice(0, 10)
      const from = str(flags, 'from') ?? new Date(Date.parse(`${to}T00:00:00Z`) - 30 * 86_400_000).toISOString().slice(0, 10)
      const r = await detectSeatSharing(ctx.client, ctx.projectId, from, to, { minOverlapDays: num(flags, 'min-overlap-days') })
      return out(flags, r, () => seatSharingText(r))
    },
  },
]
