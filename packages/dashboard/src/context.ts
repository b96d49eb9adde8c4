import type { ClickHouseClient } from '@clickhouse/client'
import type { NavKey } from './components/layout.js'
import type { HealthReports } from './data/health-cache.js'
import type { DashboardDeps, DashboardProject } from './deps.js'
import type { CarriedView } from './view-carry.js'

/** One request of a signed-in user: every read is scoped to `project.id`. */
export interface PageCtx {
  client: ClickHouseClient
  project: DashboardProject
  deps: DashboardDeps
  /** Pages in the menu (some need analysis functions that may not exist in this build). */
  navKeys: readonly NavKey[]
  /** Health reports and seat sharing shared by the account pages while their data is unchanged. */
  health: HealthReports
  /** The saved segment the page's reports are restricted to (pages with a segment picker only). */
  segment?: string | undefined
  /**
   * The view the user carries from page to page (dates, zone, segment), whatever this page takes:
   * a page without a picker (one account) still links on with the segment chosen before it.
   */
  view?: CarriedView
}
