import type { ClickHouseClient } from '@clickhouse/client'
import { randomBytes } from 'node:crypto'
import { AnalysisError } from '../errors.js'
import { getFeature } from '../features/store.js'
import { serialised as serialisedBy } from '../store/versioned.js'
import { parseParams } from '../retention/parse.js'
import { activeNudgeIndex } from './active-index.js'
import { NudgeInput, type Nudge, type NudgeConfig, type NudgeStatus } from './config.js'

interface Row {
  nudge_id: string
  version: number
  name: string
  feature_id: string
  status: string
  config: string
  created_at: string
  started_at: string | null
  stopped_at: string | null
  updated_at: string
}

const COLUMNS = 'nudge_id, version, name, feature_id, status, config, created_at, started_at, stopped_at, updated_at'
const iso = (t: string) => t.replace(' ', 'T') + 'Z'
const isoOrNull = (t: string | null) => (t ? iso(t) : null)

function toNudge(r: Row): Nudge {
  const config = JSON.parse(r.config) as Omit<NudgeConfig, 'name' | 'featureId'>
  return {
    id: r.nudge_id,
    name: r.name,
    featureId: r.feature_id,
    audience: config.audience,
    placement: config.placement,
    copy: config.copy,
    frequency: config.frequency,
    holdoutShare: config.holdoutShare,
    status: r.status as NudgeStatus,
    version: Number(r.version),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    startedAt: isoOrNull(r.started_at),
    stoppedAt: isoOrNull(r.stopped_at),
  }
}

/** The current version of a project's nudges, newest first; `status` narrows the list. Archived nudges only when asked for (by status or id). */
export async function listNudges(
  client: ClickHouseClient,
  project: string,
  opts: { status?: NudgeStatus; ids?: readonly string[]; includeArchived?: boolean } = {},
): Promise<Nudge[]> {
  const hideArchived = !opts.status && !opts.ids && !opts.includeArchived
  const rs = await client.query({
    query: `SELECT * FROM (
        SELECT ${COLUMNS} FROM nudges
        WHERE project_id = {project:String} ${opts.ids ? 'AND nudge_id IN {ids:Array(String)}' : ''}
        ORDER BY nudge_id, version DESC
        LIMIT 1 BY nudge_id
      ) ${opts.status ? 'WHERE status = {status:String}' : hideArchived ? "WHERE status != 'archived'" : ''}
      ORDER BY created_at DESC, nudge_id`,
    query_params: { project, ids: opts.ids ?? [], status: opts.status ?? '' },
    format: 'JSONEachRow',
  })
  return (await rs.json<Row>()).map(toNudge)
}

export async function getNudge(client: ClickHouseClient, project: string, id: string): Promise<Nudge | null> {
  const [n] = await listNudges(client, project, { ids: [id] })
  return n ?? null
}

// Versions are read-then-written: one writer of a project's nudges at a time within this process.
const serialised = <T>(project: string, fn: () => Promise<T>): Promise<T> => serialisedBy(`nudges:${project}`, fn)

async function write(client: ClickHouseClient, project: string, n: Nudge): Promise<Nudge> {
  const { id, name, featureId, status, version, createdAt, startedAt, stoppedAt, updatedAt, ...config } = n
  await client.insert({
    table: 'nudges',
    values: [
      {
        project_id: project,
        nudge_id: id,
        version,
        name,
        feature_id: featureId,
        status,
        config: JSON.stringify(config),
        created_at: createdAt,
        started_at: startedAt,
        stopped_at: stoppedAt,
        updated_at: updatedAt,
      },
    ],
    format: 'JSONEachRow',
  })
  // Pages learn about the change at their next batch, not after the index's refresh interval.
  await activeNudgeIndex(client).refresh().catch(() => {})
  return n
}

/** A back-dated change may not come before the nudge's last one: its history stays in order. */
function notBefore(opts: ChangeTime, now: string, last: string): void {
  if (opts.now && Date.parse(now) < Date.parse(last)) throw new AnalysisError('conflict', `the change at ${now} would come before the nudge's last change (${last})`, 'now')
}

async function checkFeature(client: ClickHouseClient, project: string, featureId: string): Promise<void> {
  if (!(await getFeature(client, project, featureId))) {
    throw new AnalysisError('invalid', `no feature ${featureId}: define the target feature first`, 'featureId')
  }
}

async function current(client: ClickHouseClient, project: string, id: string, opts: { changing?: string } = {}): Promise<Nudge> {
  const n = await getNudge(client, project, id)
  if (!n) throw new AnalysisError('not_found', `no nudge ${id}`, 'id')
  if (opts.changing && n.status === 'archived') throw new AnalysisError('conflict', `nudge ${id} is archived: it cannot be ${opts.changing}; create a new one`, 'id')
  return n
}

/** Every stored version of a nudge, oldest first: each edit, start, pause and archive. */
export async function nudgeHistory(client: ClickHouseClient, project: string, id: string): Promise<Nudge[]> {
  const rs = await client.query({
    query: `SELECT ${COLUMNS} FROM nudges FINAL WHERE project_id = {project:String} AND nudge_id = {id:String} ORDER BY version`,
    query_params: { project, id },
    format: 'JSONEachRow',
  })
  const versions = (await rs.json<Row>()).map(toNudge)
  if (versions.length === 0) throw new AnalysisError('not_found', `no nudge ${id}`, 'id')
  return versions
}

/**
 * When a change happened. Defaults to now; history loaded after the fact (a nudge that ran months
 * ago, whose exposures are being imported) passes the time it happened.
 */
export interface ChangeTime {
  now?: Date
}

function changeTime(opts: ChangeTime): string {
  const t = opts.now ?? new Date()
  if (!Number.isFinite(t.getTime())) throw new AnalysisError('invalid', 'the time of the change is not a valid date', 'now')
  if (t.getTime() > Date.now() + 60_000) throw new AnalysisError('invalid', 'the time of the change is in the future', 'now')
  return t.toISOString()
}

/** Creates a nudge as a draft; `startNudge` puts it live. */
export async function createNudge(client: ClickHouseClient, project: string, input: NudgeInput, opts: ChangeTime = {}): Promise<Nudge> {
  const { id: givenId, ...config } = parseParams(NudgeInput, input)
  const now = changeTime(opts)
  return serialised(project, async () => {
    await checkFeature(client, project, config.featureId)
    const id = givenId ?? `n_${randomBytes(6).toString('hex')}`
    if (await getNudge(client, project, id)) throw new AnalysisError('conflict', `nudge ${id} already exists`, 'id')
    return write(client, project, { id, ...config, status: 'draft', version: 1, createdAt: now, updatedAt: now, startedAt: null, stoppedAt: null })
  })
}

/**
 * Replaces a nudge's configuration. Once started, its target feature and holdout share are
 * fixed: the arms and the report are defined by them; make a new nudge to change either.
 */
export async function updateNudge(client: ClickHouseClient, project: string, id: string, input: NudgeInput): Promise<Nudge> {
  const { id: bodyId, ...config } = parseParams(NudgeInput, input)
  if (bodyId !== undefined && bodyId !== id) throw new AnalysisError('conflict', 'the id in the body differs from the URL', 'id')
  return serialised(project, async () => {
    const n = await current(client, project, id, { changing: 'edited' })
    if (n.startedAt) {
      if (config.featureId !== n.featureId) throw new AnalysisError('conflict', 'the target feature of a started nudge cannot change', 'featureId')
      if (config.holdoutShare !== n.holdoutShare) throw new AnalysisError('conflict', 'the holdout share of a started nudge cannot change', 'holdoutShare')
    } else {
      await checkFeature(client, project, config.featureId)
    }
    return write(client, project, { ...n, ...config, version: n.version + 1, updatedAt: new Date().toISOString() })
  })
}

/** Puts a nudge live (again). The first start is when the report begins counting. */
export function startNudge(client: ClickHouseClient, project: string, id: string, opts: ChangeTime = {}): Promise<Nudge> {
  return serialised(project, async () => {
    const now = changeTime(opts)
    const n = await current(client, project, id, { changing: 'started' })
    if (n.status === 'active') return n
    await checkFeature(client, project, n.featureId)
    notBefore(opts, now, n.updatedAt)
    return write(client, project, { ...n, status: 'active', version: n.version + 1, updatedAt: now, startedAt: n.startedAt ?? now, stoppedAt: null })
  })
}

/** Takes a nudge off every page; its report stays. */
export function stopNudge(client: ClickHouseClient, project: string, id: string, opts: ChangeTime = {}): Promise<Nudge> {
  return serialised(project, async () => {
    const now = changeTime(opts)
    const n = await current(client, project, id)
    if (n.status !== 'active') return n
    notBefore(opts, now, n.updatedAt)
    return write(client, project, { ...n, status: 'stopped', version: n.version + 1, updatedAt: now, stoppedAt: now })
  })
}

/** Archives a nudge: off every page for good, out of the list; its report and history stay readable. */
export function archiveNudge(client: ClickHouseClient, project: string, id: string): Promise<Nudge> {
  return serialised(project, async () => {
    const n = await current(client, project, id)
    if (n.status === 'archived') return n
    const now = new Date().toISOString()
    return write(client, project, { ...n, status: 'archived', version: n.version + 1, updatedAt: now, stoppedAt: n.status === 'active' ? now : n.stoppedAt })
  })
}
