export { activityCtes, activityParams, featurePositions, ROLLUP_ACTIVITY, rollupActivitySql } from './rows.sql.js'
