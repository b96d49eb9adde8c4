export {
  RetentionParams,
  FeatureRetentionParams,
  HighRetentionParams,
  AhaParams,
  AccountFeatureParams,
  WindowParams,
  DayList,
  IsoDate,
} from './params.js'
export { parseParams } from './parse.js'
export { resolveContext, prepareFeatures, targetParams, projectTimezone, type ReportContext } from './context.js'
export { retentionCells, type RetentionCell } from './cells.js'
export { retentionReport, type RetentionReport, type RetentionCohort } from './day-n.js'
export { dayNSql } from './day-n.sql.js'
export { featureRetentionReport, type FeatureRetentionReport, type FeatureRetentionRow } from './feature-retention.js'
export { highRetentionReport, type HighRetentionReport, type HighRetentionRow } from './high-retention.js'
export { compareFeatures, strataBounds, strataLabels, type FeatureComparison } from './high-retention-stats.js'
export { ahaReport, type AhaReport, type AhaBucket } from './aha.js'
export { ahaThreshold } from './aha-threshold.js'
export { accountFeatureReport, type AccountFeatureReport, type AccountFeatureRow, type AccountFeatureDetail } from './account-feature.js'
export { evidenceFor, featureExperiments, withEvidence, EVIDENCE_LABELS, type EvidenceLevel, type FeatureEvidence, type FeatureExperiment } from './evidence.js'
