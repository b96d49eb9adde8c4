export { activityCtes, activityParams, featurePositions, ROLLUP_ACTIVITY } from './rows.sql.js'
