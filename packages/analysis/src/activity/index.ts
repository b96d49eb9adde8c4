export { refreshActivity, type RefreshResult } from './refresh.js'
export { startActivityRefresher, type ActivityRefresher } from './refresher.js'
export { featureTargets, ANY_ACTIVITY, type ActivityTarget } from './targets.js'
export { buildActivitySql } from './build.sql.js'
