export { backfillActivityRollup, type BackfillProgress } from './backfill.js'
export { rollupCoverage, firstActivityComplete, COMPLETE, type RollupCoverage } from './status.js'
