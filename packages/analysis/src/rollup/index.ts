export { backfillActivityRollup, type BackfillProgress } from './backfill.js'
export { rollupCoverage, COMPLETE, type RollupCoverage } from './status.js'
