import type { ClickHouseClient } from '@clickhouse/client'
import type { NavKey } from './components/layout.js'
import type { DashboardDeps, DashboardProject } from './deps.js'

/** One request of a signed-in user: every read is scoped to `project.id`. */
export interface PageCtx {
  client: ClickHouseClient
  project: DashboardProject
  deps: DashboardDeps
  /** Pages in the menu (some need analysis functions that may not exist in this build). */
  navKeys: readonly NavKey[]
  /** The saved segment the page's reports are restricted to (pages with a segment picker only). */
  segment?: string | undefined
}
