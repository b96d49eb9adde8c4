/**
 * Onboarding nudges (metrics spec §7): configuration and storage, the collector's share of the
 * eligibility decision, the holdout hash shared with the SDK, and the lift report.
 */
export {
  NudgeInput, Audience as NudgeAudience, Placement as NudgePlacement, Copy as NudgeCopy, Frequency as NudgeFrequency, NudgeId,
  DEFAULT_HOLDOUT_SHARE, NUDGE_STATUSES, isSafeLinkUrl, toPublic as toPublicNudge,
  type Nudge, type NudgeConfig, type NudgeStatus, type ActiveNudge, type PublicNudge,
} from './config.js'
export { createNudge, updateNudge, startNudge, stopNudge, archiveNudge, nudgeHistory, listNudges, getNudge, type ChangeTime } from './store.js'
export { ActiveNudgeIndex, activeNudgeIndex, ACTIVE_INDEX_TTL_MS } from './active-index.js'
export { serverEligibility, dayIndex as userDayIndex, type UserFacts, type EligibilityAnswer, type EligibilityReason } from './eligibility.js'
export { nudgeEligibility, loadUserFacts, type UserRef, type EligibilityResult } from './user-facts.js'
export { fnv1a32, holdoutBucket, isHeldOut } from './holdout.js'
export { nudgeReport, nudgeMetric, sampleRatioP, NudgeReportParams, type NudgeReport, type NudgeMetric } from './report.js'
export { nudgeExperiment, evidenceOf, describeSet, type NudgeExperiment, type NudgeExperimentInput, type ExperimentEvidence } from './experiment.js'
