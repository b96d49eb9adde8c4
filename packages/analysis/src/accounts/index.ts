/** Accounts, contracts and renewals: import, revenue metrics, usage × renewals, health, temperature, seat sharing. */
export type { Account, AccountBook, ContractVersion, RenewalOutcome, RenewalLabel } from './types.js'
export { RENEWAL_LABELS } from './types.js'
export {
  importAccountData, parseAccountsCsv, parseStripeSubscriptions, commitImport, listImports, IMPORT_KINDS, KIND_COLUMNS,
  type ImportInput, type ImportOutcome, type ImportKind, type ImportRecord, type ImportResult, type RowError, type StripeOptions,
} from './import/index.js'
export { loadBook } from './load.js'
export { computeRevenueReport, revenueReport, type RevenueParams, type RevenueReport, type MonthRow, type RenewalRow } from './revenue-report.js'
export { renewalsReport, type RenewalsParams, type RenewalsReport, type RenewalUsageRow } from './renewals-report.js'
export { healthReport, type HealthParams, type HealthReport, type HealthAccountRow, type PublicModel } from './health-report.js'
export { featureRenewal, ASSOCIATION_NOTE, type FeatureRenewalReport, type FeatureRenewalRow } from './feature-renewal.js'
export { detectSeatSharing, type SeatSharingOptions, type SeatSharingResult, type FlaggedUser, type OverlapEvidence } from './seat-sharing.js'
export { accountDetail, type AccountDetail } from './account-detail.js'
export { measureUsage, type FeatureCondition, type UsageWindow, type WindowUsage, type UsageOptions } from './usage.js'
export { DEFAULT_INTENT, temperatureOf, type IntentConfig, type IntentSignals } from './temperature.js'
export { QUADRANT_ACTIONS, quadrantOf, type Quadrant, type QuadrantThresholds } from './quadrant.js'
export { COMPONENT_NAMES, COMPONENT_DESCRIPTIONS, DEFAULT_COMPONENTS, MAX_COMPONENTS, type ComponentName } from './health-components.js'
export { DEFAULT_BANDS, type Band, type BandThresholds } from './health-score.js'
export { ReportParamError } from './params-error.js'
export { ACCOUNTS_COMMANDS, type AccountsCommand, type AccountsCliContext } from './cli-commands.js'
