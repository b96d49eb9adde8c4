import type { ClickHouseClient } from '@clickhouse/client'
import { addDays, toIsoDate, type IsoDate } from './dates.js'
import { componentValue, DEFAULT_COMPONENTS, isComponentName, MAX_COMPONENTS, type ComponentName } from './health-components.js'
import { bandOf, DEFAULT_BANDS, percentiles, referenceOf, scoreOf, type Band, type BandThresholds, type HealthModel } from './health-score.js'
import { buildModel, validateHealth, type HealthSample, type HealthValidation } from './health-validation.js'
import { chooseWindows, historyStart, type HealthWindows } from './health-defaults.js'
import { renewalFeatureComponent } from './health-feature-component.js'
import { judgePredictiveness, type Predictiveness } from './health-predictive.js'
import { featuresToMeasure } from './defined-features.js'
import { loadBook } from './load.js'
import { unitsToNumber } from './money.js'
import { checkDate, ReportParamError } from './params-error.js'
import { DEFAULT_QUADRANT_THRESHOLDS, QUADRANT_ACTIONS, quadrantOf, type Quadrant, type QuadrantThresholds } from './quadrant.js'
import { checkDays } from './renewals-report.js'
import { decidedRenewals, lookbackWindow } from './renewal-windows.js'
import { detectSeatSharing } from './seat-sharing.js'
import { DEFAULT_INTENT, measureIntent, temperatureOf, type IntentConfig, type IntentSignals } from './temperature.js'
import { measureUsage, type UsageOptions, type UsageWindow, type WindowUsage } from './usage.js'
import { rollupCoverage, rollupReadiness, type RollupCoverage } from '../rollup/status.js'
import { restrictBook, segmentAccounts } from '../segments/accounts.js'
import type { SegmentSelector } from '../segments/definition.js'
import type { AppliedSegment } from '../segments/resolve.js'

export interface HealthParams extends UsageOptions, SegmentSelector {
  projectId: string
  asOf?: IsoDate
  /** At most five components (default: seat utilisation, active days per user, feature breadth, usage trend). */
  components?: string[]
  /** `fit` (default): logistic regression on past renewals; `manual`: `weights`, default equal. */
  weighting?: 'fit' | 'manual'
  weights?: number[]
  /** Days of usage a score is computed over (default 90, shorter when the stored history is shorter: see `chooseWindows`). */
  windowDays?: number
  /** Validation scores each renewal this many days before its due date (default 90, shorter with a shorter history). */
  horizonDays?: number
  trainShare?: number
  bands?: BandThresholds
  /** Days of purchase-intent events behind the temperature (default 30). */
  temperatureDays?: number
  intent?: Partial<IntentConfig>
  quadrantThresholds?: QuadrantThresholds
  /** Look for seat sharing among current accounts (default true). */
  seatSharing?: boolean
  currency?: string
  graceDays?: number
}

export interface HealthAccountRow {
  accountId: string
  name: string
  plan: string
  arr: number
  seats: number | null
  health: number
  /** Null while the score is not predictive: a band would look like risk it does not measure. */
  band: Band | null
  components: { name: string; value: number | null; percentile: number }[]
  temperature: number
  signals: IntentSignals
  quadrant: Quadrant
  action: string
  /** Someone in the account looks like several people on one login (see the seat-sharing report). */
  seatSharingSuspected: boolean
}

export interface HealthReport {
  asOf: IsoDate
  currency: string | null
  components: string[]
  windowDays: number
  horizonDays: number
  /** The history the windows were chosen from, and how (in words). */
  windows: Omit<HealthWindows, 'windowDays' | 'horizonDays'> & { excludedRenewals: number }
  /** Whether the score may be read as risk (metrics.md §6); when not, what is missing. */
  predictive: Predictiveness
  /** Why the components are these (a feature found by the feature × renewal comparison may be added). */
  componentNote: string
  bands: BandThresholds
  /** Time-ordered validation on past renewals. */
  validation: Omit<HealthValidation, 'model'> & { model: PublicModel }
  /** Weights used for today's scores: fitted on every past renewal (re-fit on each run); percentiles among today's accounts. */
  model: PublicModel & { trainedOn: number }
  accounts: HealthAccountRow[]
  quadrants: { quadrant: Quadrant; action: string; accounts: number; arr: number }[]
  /** Whether usage covers every stored event (not while older events are still being added to the activity rollup). */
  activity: RollupCoverage
  /** The segment the accounts were restricted to; null for all. */
  segment?: AppliedSegment | null
}

export type PublicModel = Pick<HealthModel, 'components' | 'weights' | 'weighting'>

function checkComponents(names: string[] | undefined): ComponentName[] {
  const list = names && names.length ? names : [...DEFAULT_COMPONENTS]
  if (list.length > MAX_COMPONENTS) throw new ReportParamError(`at most ${MAX_COMPONENTS} components`, 'components')
  for (const n of list) if (!isComponentName(n)) throw new ReportParamError(`unknown component ${n}`, 'components')
  if (new Set(list).size !== list.length) throw new ReportParamError('a component is listed twice', 'components')
  return list as ComponentName[]
}

const publicModel = (m: HealthModel): PublicModel => ({ components: m.components, weights: m.weights, weighting: m.weighting })

/** Health for today's accounts, validated on past renewals, with temperature and the quadrant action per account. */
export async function healthReport(client: ClickHouseClient, params: HealthParams): Promise<HealthReport> {
  return (await healthWithUsage(client, params, () => [])).report
}

/**
 * The health report, and the usage of `extra` windows (given the score's window length) measured in
 * the same read of the rollup as the report's own: the account page's windows cost no query of
 * their own. The usage comes back under the extra windows' ids.
 */
export async function healthWithUsage(
  client: ClickHouseClient,
  params: HealthParams,
  extra: (windowDays: number) => UsageWindow[],
): Promise<{ report: HealthReport; usage: Map<string, WindowUsage> }> {
  const asOf = checkDate(params.asOf, 'asOf', toIsoDate(new Date()))
  const components = checkComponents(params.components)
  const defaultComponents = !(params.components && params.components.length)
  if (params.windowDays !== undefined) checkDays(params.windowDays, 'windowDays', 90)
  if (params.horizonDays !== undefined) checkDays(params.horizonDays, 'horizonDays', 90)
  const temperatureDays = checkDays(params.temperatureDays, 'temperatureDays', 30)
  if (params.weights && params.weights.length !== components.length) {
    throw new ReportParamError('give one weight per component', 'weights')
  }
  const trainShare = params.trainShare ?? 0.6
  if (!(trainShare > 0 && trainShare < 1)) throw new ReportParamError('trainShare must be between 0 and 1', 'trainShare')
  const bands = params.bands ?? DEFAULT_BANDS
  const intent: IntentConfig = { ...DEFAULT_INTENT, ...params.intent }

  // Seat sharing needs nothing else: it starts first, beside a page's own call for the same window.
  const sharingRun = params.seatSharing === false ? Promise.resolve(null) : detectSeatSharing(client, params.projectId, addDays(asOf, -temperatureDays), asOf)
  sharingRun.catch(() => {})
  // One read of the plan rows (shared with seat sharing's) says which kept tables each query reads,
  // so no query below waits for a status read of its own.
  const readinessRun = rollupReadiness(client, params.projectId)
  const historyRun = readinessRun.then((r) => historyStart(client, params.projectId, r.firstActivity))
  historyRun.catch(() => {})
  const [activity, readiness, fullBook, defined, segment] = await Promise.all([
    rollupCoverage(client, params.projectId),
    readinessRun,
    loadBook(client, params.projectId),
    params.features ? Promise.resolve(null) : featuresToMeasure(client, params.projectId),
    segmentAccounts(client, params.projectId, asOf, params),
  ])
  // A segment restricts the population: the score is validated and fitted on its accounts' renewals.
  const book = segment ? restrictBook(fullBook, segment.accounts) : fullBook
  // The embedded engine answers one query at a time: the book's arithmetic is done while it answers
  // the history's first day (queued behind seat sharing), and the score is fitted while it answers
  // the purchase intent (sent once the usage is in).
  const usageOpts = { ...params, features: params.features ?? defined!.conditions }
  const view = decidedRenewals(book, asOf, { currency: params.currency, graceDays: params.graceDays })
  // Today's accounts: those paying on asOf.
  const paying = view.contracts.mrrAt(asOf)
  const accountInfo = new Map(book.accounts.map((a) => [a.accountId, a]))
  const ids = [...paying.keys()].sort()
  const seats = new Map(ids.map((id) => [id, view.contracts.seatsAt(id, asOf) ?? accountInfo.get(id)?.seats ?? null]))
  const windows = chooseWindows(asOf, await historyRun, params)
  const { windowDays, horizonDays } = windows
  // A window that starts before the first day of activity would read as no usage at all and teach
  // the score that silence renews; those renewals are left out (and counted).
  const renewals = view.renewals.filter((r) => windows.historyFrom !== null && lookbackWindow(r, windowDays, horizonDays).from >= windows.historyFrom)
  const pastWindows = renewals.map((r) => lookbackWindow(r, windowDays, horizonDays))

  // Past renewals' windows and today's in one read of the rollup (ids differ: `<account>@<due>` and `<account>`).
  const todayWindows = ids.map((id) => ({ id, accountId: id, from: addDays(asOf, -windowDays), to: asOf }))
  const own = [...pastWindows, ...todayWindows]
  // The extra windows get ids none of the report's own has (those are account ids and `<account>@<due>`).
  const taken = new Set(own.map((w) => w.id))
  const extraWindows = extra(windowDays)
  const extraIds = extraWindows.map((_, i) => {
    let id = `\u0000${i}`
    while (taken.has(id)) id += '\u0000'
    return id
  })
  const windowUsage = await measureUsage(client, params.projectId, [...own, ...extraWindows.map((w, i) => ({ ...w, id: extraIds[i]! }))], usageOpts, readiness)
  const signalsRun = measureIntent(client, params.projectId, addDays(asOf, -temperatureDays), asOf, seats, intent, readiness.personDays)
  signalsRun.catch(() => {})
  let componentNote = defaultComponents ? 'the default components' : 'the components asked for'
  if (defaultComponents && components.length < MAX_COMPONENTS) {
    const pick = renewalFeatureComponent(renewals, windowUsage, trainShare)
    if (pick) {
      components.push(pick.component)
      componentNote = `the default components, and the use of ${pick.feature}: the feature the feature × renewal comparison flags on the training renewals`
    }
  }
  const samples: HealthSample[] = renewals.map((r) => ({
    id: r.id, dueDate: r.dueDate, renewed: r.renewed,
    values: components.map((c) => componentValue(c, windowUsage.get(r.id)!, r.seats)),
  }))
  const validation = validateHealth(components, samples, { weighting: params.weighting, weights: params.weights, trainShare, bands })
  const fitted = buildModel(components, samples, { weighting: params.weighting, weights: params.weights })
  const predictive = judgePredictiveness({
    heldOut: validation.tested.auc,
    heldOutCount: validation.tested.count,
    weights: fitted.weights,
    fitted: fitted.weighting === 'fitted',
    lost: samples.filter((x) => !x.renewed).length,
    excludedBeforeHistory: view.renewals.length - renewals.length,
  })

  const values = ids.map((id) => components.map((c) => componentValue(c, windowUsage.get(id)!, seats.get(id) ?? null)))
  const live: HealthModel = { ...fitted, reference: referenceOf(values, components.length) }
  const [sharing, signals] = await Promise.all([sharingRun, signalsRun])
  const shared = new Set(sharing?.accounts.map((a) => a.accountId) ?? [])
  const thresholds = params.quadrantThresholds ?? DEFAULT_QUADRANT_THRESHOLDS

  const accounts = ids.map((id, i): HealthAccountRow => {
    const health = scoreOf(live, values[i]!)
    const s = signals.get(id)!
    const temperature = temperatureOf(s, intent)
    const quadrant = quadrantOf(health, temperature, thresholds)
    const p = percentiles(live, values[i]!)
    const info = accountInfo.get(id)
    return {
      accountId: id, name: info?.name ?? '', plan: info?.plan ?? '', arr: unitsToNumber(view.contracts.scale, paying.get(id)! * 12n), seats: seats.get(id) ?? null,
      health, band: predictive.predictive ? bandOf(health, bands) : null, components: components.map((name, k) => ({ name, value: values[i]![k] ?? null, percentile: p[k]! })),
      temperature, signals: s, quadrant, action: QUADRANT_ACTIONS[quadrant], seatSharingSuspected: shared.has(id),
    }
  })
  const quadrants = (Object.keys(QUADRANT_ACTIONS) as Quadrant[]).map((q) => {
    const inQ = accounts.filter((a) => a.quadrant === q)
    return { quadrant: q, action: QUADRANT_ACTIONS[q], accounts: inQ.length, arr: inQ.reduce((s, a) => s + a.arr, 0) }
  })
  const report: HealthReport = {
    asOf, currency: view.currency, components, windowDays, horizonDays,
    windows: { historyFrom: windows.historyFrom, historyDays: windows.historyDays, note: windows.note, excludedRenewals: view.renewals.length - renewals.length },
    predictive, componentNote, bands,
    // Band rates of a score that does not predict would read as risk levels: left out until it does.
    validation: { ...validation, model: publicModel(validation.model), tested: { ...validation.tested, bands: predictive.predictive ? validation.tested.bands : [] } },
    model: { ...publicModel(fitted), trainedOn: samples.length },
    accounts, quadrants, activity, segment: segment?.applied ?? null,
  }
  return { report, usage: new Map(extraWindows.map((w, i) => [w.id, { ...windowUsage.get(extraIds[i]!)!, id: w.id }])) }
}
