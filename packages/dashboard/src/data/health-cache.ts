import type { ClickHouseClient } from '@clickhouse/client'
import { detectSeatSharing, healthReport, renewalsReport, type HealthReport, type RenewalsReport, type SeatSharingResult } from '@tenure/analysis'
import { addDays } from '../params.js'
import { ReportFiles } from './report-files.js'
import { defaultRetentionFeatures, retentionFeaturesData, type RetentionFeaturesData, type RetentionFeaturesParams } from './retention-features.js'

/**
 * Tables whose rows a health report reads besides the activity rollup: contracts and accounts,
 * feature definitions and the texts they match, identities, and the rollup's backfill state.
 * Tables written with every stored event (events, the rollup, its dictionaries, counters) are
 * left out: what of them a report as of a day can see is caught by the rollup's count in
 * `VERSION_SQL` instead.
 */
const READ_TABLES = [
  'accounts', 'account_imports', 'contract_versions', 'renewal_outcomes', 'feature_definitions', 'person_aliases', 'user_accounts',
  'activity_rollup_backfill', 'element_texts', 'text_keys', 'text_settings', 'text_legacy',
  // A segment's definition (its other inputs, traits in events and imports, are counted above).
  'segment_definitions',
  // Nudges: the experiments behind the retention page's evidence levels.
  'nudges',
]

/** Tables whose rows are rewritten in place by mutations (text tokenising, an interrupted backfill month). */
const MUTATED_TABLES = ['events', 'events_local', 'activity_rollup', 'activity_rollup_local', ...READ_TABLES]

/**
 * Two of a data version's parts, as SQL text: for each partition of the `tables`, the highest
 * block number among its parts (each insert takes a new one; a background merge keeps it, so
 * merges change nothing), then the number of mutations of the `mutated` tables.
 */
function partsAndMutations(tables: string, mutated: string): string {
  return `toString((SELECT cityHash64(arraySort(groupArray(tuple(table, partition_id, top)))) FROM (
    SELECT table, partition_id, max(max_block_number) AS top FROM system.parts
    WHERE database = currentDatabase() AND active AND table IN ${tables} GROUP BY table, partition_id))),
  '/', toString((SELECT count() FROM system.mutations WHERE database = currentDatabase() AND table IN ${mutated}))`
}

/**
 * What a health report as of `as_of` is computed from, as one text: for each partition of the
 * tables above, the highest block number among its parts (each insert takes a new one; a
 * background merge keeps it, so merges change nothing), the mutations of those tables and of the
 * events and rollup, and the number of the project's events before `as_of` in the rollup (every
 * usage, temperature and seat-sharing window ends there; an event stored late, with an earlier
 * time, reaches the rollup as it is stored). Events of `as_of` itself and later change nothing a
 * report as of that day shows, so a day's report stays valid while today's events arrive.
 */
const VERSION_SQL = `
SELECT concat(
  ${partsAndMutations('{tables:Array(String)}', '{mutated:Array(String)}')},
  '/', toString((SELECT sum(events) FROM activity_rollup WHERE project_id = {project:String} AND bucket < toDateTime({as_of:Date}, {tz:String})))
) AS version`

/**
 * Whether anything a report could read may have changed, for every project at once: the parts of
 * the tables above and of the events and rollup (a new insert of any project adds one), and their
 * mutations. Cheap (system tables only); equal signatures mean every project's version is unchanged.
 */
const SIGNATURE_SQL = `SELECT concat(${partsAndMutations('{tables:Array(String)}', '{tables:Array(String)}')}) AS signature`

export async function dataSignature(client: ClickHouseClient): Promise<string> {
  const rs = await client.query({ query: SIGNATURE_SQL, query_params: { tables: MUTATED_TABLES }, format: 'JSONEachRow' })
  return (await rs.json<{ signature: string }>())[0]!.signature
}

/** The project's events before the day, the last part of a data version (how large its reports' reads are). */
export function versionEvents(version: string): number {
  return Number(version.slice(version.lastIndexOf('/') + 1)) || 0
}

/** `tz`: the zone whose midnight starting `asOf` ends the events counted (the account reports' days are UTC days). */
export async function healthDataVersion(client: ClickHouseClient, projectId: string, asOf: string, tz = 'UTC'): Promise<string> {
  const rs = await client.query({ query: VERSION_SQL, query_params: { tables: READ_TABLES, mutated: MUTATED_TABLES, project: projectId, as_of: asOf, tz }, format: 'JSONEachRow' })
  return (await rs.json<{ version: string }>())[0]!.version
}

/** The seat-sharing window the pages show by default: the health report's temperature window. */
export const DEFAULT_SEAT_DAYS = 30

/** Where the pages split health and temperature into quadrants (the report's own default). */
export const QUADRANT_THRESHOLDS = { health: 50, temperature: 50 }

/** The parameters pages differ in; every other parameter of the report is left at its default. */
export interface PageHealthParams {
  projectId: string
  asOf: string
  windowDays?: number
  horizonDays?: number
  weighting?: 'fit' | 'manual'
  /** False: the page shows no seat sharing (a report that looked for it serves as well). */
  seatSharing?: boolean
  /** A saved segment's id: the report of its accounts only, kept apart from everyone's. */
  segment?: string | undefined
}

/** The parameters of the accounts page's renewals report (the page's defaults: 90 look-back days, at least 30 accounts). */
export interface PageRenewalsParams {
  projectId: string
  asOf: string
  lookbackDays?: number
  minN?: number
  currency?: string | undefined
  segment?: string | undefined
}

interface Entry<T> {
  version: string
  report: Promise<T>
}

/**
 * Health reports the account pages share: health, worklist, renewal calendar and each account's
 * page show the same report as of the same day, and a user goes from one to the next. A report
 * is kept with the version of the data it was computed from (`healthDataVersion`) and served
 * again while that version holds; the newest `size` reports are kept. The accounts page's
 * renewals report reads nothing else (the book, feature definitions, the rollup before its day),
 * so it is kept the same way, and so are the retention features page's reports (as of a local
 * day's start, with nudges among the tables read).
 */
export class HealthReports {
  private readonly entries = new Map<string, Entry<unknown>>()
  /** Data versions being read: a page asking for two reports at once reads the version once. */
  private readonly versions = new Map<string, Promise<string>>()
  private readonly size: number
  private readonly files: ReportFiles | null
  private readonly writes = new Set<Promise<void>>()

  /** `dir`: a folder where computed reports are also kept, so that a restart serves them at once while their data holds. */
  constructor(opts: { size?: number; dir?: string } = {}) {
    this.size = opts.size ?? 16
    this.files = opts.dir ? new ReportFiles(opts.dir) : null
  }

  async get(client: ClickHouseClient, p: PageHealthParams): Promise<HealthReport> {
    const version = await this.version(client, p.projectId, p.asOf)
    const base = { projectId: p.projectId, asOf: p.asOf, windowDays: p.windowDays, horizonDays: p.horizonDays, weighting: p.weighting ?? 'fit', quadrantThresholds: QUADRANT_THRESHOLDS, segment: p.segment }
    const withSharing = JSON.stringify(['health', { ...base, seatSharing: true }])
    const key = p.seatSharing === false ? JSON.stringify(['health', { ...base, seatSharing: false }]) : withSharing
    const found = p.seatSharing === false ? this.found<HealthReport>(withSharing, version) : undefined
    return found ?? this.keep(key, version, () => healthReport(client, { ...base, seatSharing: p.seatSharing !== false }))
  }

  /**
   * Computes (or finds) the reports the account pages show by default as of `asOf`: the health
   * report every one of them reads and seat sharing over its 30-day temperature window. The
   * report finds the seat sharing computed beside it (see `detectSeatSharing`): it runs once.
   */
  async warm(client: ClickHouseClient, projectId: string, asOf: string): Promise<void> {
    await Promise.all([this.get(client, { projectId, asOf }), this.seatSharing(client, projectId, addDays(asOf, -DEFAULT_SEAT_DAYS), asOf)])
    // After the health report, not beside it: on a small machine one report at a time finishes sooner.
    await this.renewals(client, { projectId, asOf })
    await this.retentionFeatures(client, await defaultRetentionFeatures(client, projectId))
  }

  /**
   * The retention features page's reports (feature retention, high-retention features with their
   * experiments' evidence, aha), as of the start of `p.asOf` in the page's zone: they read only
   * events before it, which the version counts in the same zone.
   */
  async retentionFeatures(client: ClickHouseClient, p: RetentionFeaturesParams): Promise<RetentionFeaturesData> {
    const version = await this.version(client, p.projectId, p.asOf, p.view.tz)
    // Field by field: the same view parsed from another query must find the same entry.
    const v = p.view
    const key = JSON.stringify(['retention-features', p.projectId, p.asOf, p.segment ?? null, v.from, v.to, v.tz, v.days, v.return, v.mode, v.n, v.window, v.min_n, v.aha ?? null])
    return this.keep(key, version, () => retentionFeaturesData(client, p))
  }

  /** Seat sharing over [from, to): the health report's own (its temperature window) and the pages' tables. */
  async seatSharing(client: ClickHouseClient, projectId: string, from: string, to: string): Promise<SeatSharingResult> {
    const version = await this.version(client, projectId, to)
    return this.keep(JSON.stringify(['seat-sharing', projectId, from, to]), version, () => detectSeatSharing(client, projectId, from, to))
  }

  /** The accounts page's renewals report (usage before each renewal, renewal by feature use). */
  async renewals(client: ClickHouseClient, p: PageRenewalsParams): Promise<RenewalsReport> {
    const version = await this.version(client, p.projectId, p.asOf)
    const params = { projectId: p.projectId, asOf: p.asOf, lookbackDays: p.lookbackDays ?? 90, minN: p.minN ?? 30, currency: p.currency, segment: p.segment }
    return this.keep(JSON.stringify(['renewals', params]), version, () => renewalsReport(client, params))
  }

  private version(client: ClickHouseClient, projectId: string, asOf: string, tz = 'UTC'): Promise<string> {
    const key = `${projectId}\u0000${asOf}\u0000${tz}`
    const running = this.versions.get(key)
    if (running) return running
    const read = healthDataVersion(client, projectId, asOf, tz).finally(() => this.versions.delete(key))
    this.versions.set(key, read)
    return read
  }

  private found<T>(key: string, version: string): Promise<T> | undefined {
    const e = this.entries.get(key)
    return e && e.version === version ? e.report.then((r) => structuredClone(r) as T) : undefined
  }

  private keep<T>(key: string, version: string, compute: () => Promise<T>): Promise<T> {
    const found = this.found<T>(key, version)
    if (found) return found
    const report = this.files ? this.fromFiles(this.files, key, version, compute) : compute()
    const entry: Entry<unknown> = { version, report }
    this.entries.delete(key)
    this.entries.set(key, entry)
    // A failed report is not kept: the next page asks again.
    report.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key)
    })
    while (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value!)
    return report.then((r) => structuredClone(r))
  }

  /** The report kept in the folder for this key and version, else computed and kept there. */
  private async fromFiles<T>(files: ReportFiles, key: string, version: string, compute: () => Promise<T>): Promise<T> {
    const kept = await files.read<T>(key, version)
    if (kept !== undefined) return kept
    const report = await compute()
    // Keeping it is for the next start: the page does not wait for the write, and a failed write costs only that.
    const write = files.write(key, version, report).catch((err) => console.error('[dashboard] a computed report could not be kept on disk', err))
    this.writes.add(write)
    void write.finally(() => this.writes.delete(write))
    return report
  }

  /** Resolves once the reports computed so far are written to the folder (before a shutdown). */
  async settled(): Promise<void> {
    while (this.writes.size) await Promise.all(this.writes)
  }
}
