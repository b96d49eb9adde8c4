export { activityCtes, activityParams, activitySource, featurePositions, ROLLUP_ACTIVITY } from './rows.sql.js'
