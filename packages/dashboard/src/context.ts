import type { ClickHouseClient } from '@clickhouse/client'
import type { Project } from '../auth/projects.js'
import type { AppDeps } from '../deps.js'
import type { NavKey } from './components/layout.js'

/** What the dashboard needs from the collector. */
export type DashboardDeps = Pick<AppDeps, 'store' | 'projects' | 'metrics' | 'ingest' | 'counters'>

/** One request of a signed-in user: every read is scoped to `project.id`. */
export interface PageCtx {
  client: ClickHouseClient
  project: Project
  deps: DashboardDeps
  /** Pages in the menu (some need analysis functions that may not exist in this build). */
  navKeys: readonly NavKey[]
}
