import type { Project } from '../auth/projects.js'
import type { CollectorConfig } from '../config.js'
import type { Metrics } from '../metrics.js'
import type { EventInput } from '../schema/batch.js'
import { RecentIds, REMEMBER_MS } from './dedupe.js'
import { buildEventRow, type RowContext } from './event-row.js'
import type { StoredAddress } from './ip.js'
import { IdentityTracker } from './identity.js'
import type { Ingest } from './pipeline.js'
import { chTime, eventRowJson, type EventRow } from './rows.js'
import type { TextTokens } from './text-tokens.js'
import type { AgentInfo } from './ua.js'
import { HttpError } from '../errors.js'
import { checkProperties, checkTime, reject, type Rejection } from './validate.js'
import { unstorableTime } from './sanitize.js'

/** A stored row repeats some of its event (path and host of the url, the target's text) and adds names and agent fields. */
const ROW_OVERHEAD_BYTES = 4_096

/** A schema-valid event with what its transport knows about it. */
export interface Candidate {
  index: number
  input: EventInput
  /** Per event for Segment messages (each has its own context); else the request's. */
  agent: AgentInfo
  lib: string
  /** What is stored of the client address (nothing unless IP storage is on). */
  address: StoredAddress
  bot: boolean
}

export interface AcceptResult {
  accepted: number
  duplicates: number
  bots: number
  rejected: Rejection[]
}

/**
 * The part of ingestion both wire formats share: time checks, bot and duplicate drops, rows,
 * identity side rows, and the durable hand-off to the spool. Counts every event it sees.
 */
export class Acceptor {
  private readonly recent: RecentIds
  private readonly identities = new IdentityTracker()

  constructor(private readonly deps: { ingest: Ingest; metrics: Metrics; config: CollectorConfig; texts: TextTokens; storedUntil?: number | null }) {
    this.recent = new RecentIds(deps.config.dedupeSize, Date.now(), { maxIds: deps.config.dedupeMaxSize, spanMs: REMEMBER_MS })
    if (deps.storedUntil != null) this.recent.storedUntil(deps.storedUntil)
  }

  async accept(
    project: Project,
    candidates: Candidate[],
    rejected: Rejection[],
    time: { receivedAt: number; skewMs: number },
  ): Promise<AcceptResult> {
    const { metrics, config } = this.deps
    const rows: EventRow[] = []
    const json: string[] = []
    const fresh: string[] = []
    const rowLimit = config.limits.eventBytes + ROW_OVERHEAD_BYTES
    const receivedAtText = chTime(time.receivedAt)
    let bots = 0
    let duplicates = 0
    let checkStored = false
    const tokenise = await this.textTokens(project.id)
    for (const c of candidates) {
      const t = checkTime(c.input.timestamp, c.index, time.skewMs, time.receivedAt, config.limits)
      if (!t.ok) {
        rejected.push(t.rejection)
        continue
      }
      if (c.bot) {
        bots++
        continue
      }
      const ctx: RowContext = { projectId: project.id, receivedAt: time.receivedAt, receivedAtText, skewMs: time.skewMs, lib: c.lib, agent: c.agent, ip: c.address.ip, country: c.address.country }
      // Strings are well-formed already (the route sanitises the parsed body, see `wellFormedBody`).
      const row = buildEventRow(c.input, t.value, ctx)
      const badTime = unstorableTime(row)
      if (badTime) {
        rejected.push(reject(c.index, badTime === 'client_timestamp' ? 'timestamp' : badTime, 'invalid_timestamp', 'the time is outside what can be stored (years 1900 to 2299)').rejection)
        continue
      }
      // Before anything is written: element text leaves this function only as tokens.
      tokenise(row)
      const props = checkProperties(row.properties, c.index, config.limits)
      if (!props.ok) {
        rejected.push(props.rejection)
        continue
      }
      const text = eventRowJson(row)
      if (text.length > rowLimit) {
        rejected.push(reject(c.index, null, 'event_too_large', `the event's row exceeds ${rowLimit} bytes`).rejection)
        continue
      }
      if (!this.recent.add(project.id, row.uuid, time.receivedAt)) {
        duplicates++
        continue
      }
      if (!checkStored && this.recent.mayBeStored(project.id, t.value + time.skewMs)) checkStored = true
      fresh.push(row.uuid)
      rows.push(row)
      json.push(text)
    }
    rejected.sort((a, b) => a.index - b.index)
    const reasons = new Map<string, number>()
    for (const r of rejected) reasons.set(r.code, (reasons.get(r.code) ?? 0) + 1)
    for (const [code, n] of reasons) metrics.reject(code, n, project.id)
    metrics.inc('events_bots', bots, project.id)
    metrics.inc('events_duplicate', duplicates, project.id)
    if (rows.length) {
      const side = this.identities.rowsFor(rows)
      try {
        await this.deps.ingest.accept({ events: rows, ...side, ...(checkStored ? { checkStored } : {}) }, json)
      } catch (err) {
        this.recent.remove(project.id, fresh)
        this.identities.forget(rows)
        throw err
      }
      metrics.inc('events_accepted', rows.length, project.id)
    }
    return { accepted: rows.length, duplicates, bots, rejected }
  }

  /** The project's tokeniser; without its key (first use while the store is down) nothing may be stored. */
  private async textTokens(project: string) {
    try {
      return await this.deps.texts.forProject(project)
    } catch {
      throw new HttpError('store_unavailable', 'the store cannot be reached to set up this project; retry later', null, 5)
    }
  }
}
