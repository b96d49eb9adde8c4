import { auc, wilson, type AucResult, type Proportion } from '../stats/index.js'
import type { IsoDate } from './dates.js'
import { bandOf, DEFAULT_BANDS, fittedModel, manualModel, scoreOf, type Band, type BandThresholds, type HealthModel } from './health-score.js'

/** A past renewal with the component values measured before it. */
export interface HealthSample {
  id: string
  dueDate: IsoDate
  renewed: boolean
  values: (number | null)[]
}

export interface HealthValidationOptions {
  /** `fit`: logistic regression on the training renewals; `manual`: the given weights (default equal). */
  weighting?: 'fit' | 'manual'
  weights?: number[]
  /** Share of renewals (earliest first) the model is fitted on; the later rest tests it. */
  trainShare?: number
  bands?: BandThresholds
  l2?: number
}

export interface BandRate {
  band: Band
  renewals: Proportion
}

export interface HealthValidation {
  trained: { count: number; from: IsoDate | null; to: IsoDate | null; auc: AucResult | null }
  tested: { count: number; from: IsoDate | null; to: IsoDate | null; auc: AucResult | null; bands: BandRate[] }
  /** The model fitted on the training renewals (the one the test figures are for). */
  model: HealthModel
  /** Why figures are missing, when they are. */
  notes: string[]
}

/**
 * Validation in time order: the model (percentile references and, when fitted, weights) comes
 * from the earlier renewals only and is scored on the later ones, as it would have been used.
 * Renewals due on the same day stay on the same side of the split.
 */
export function validateHealth(components: string[], samples: HealthSample[], opts: HealthValidationOptions = {}): HealthValidation {
  const { train, test } = splitInTime(samples, opts.trainShare ?? 0.6)
  const notes: string[] = []
  const model = buildModel(components, train, opts)
  const scoreAll = (set: HealthSample[]) => set.map((s) => scoreOf(model, s.values))
  const trainScores = scoreAll(train)
  const testScores = scoreAll(test)
  const trainAuc = auc(trainScores, train.map((s) => s.renewed))
  const testAuc = auc(testScores, test.map((s) => s.renewed))
  if (test.length === 0) notes.push('no renewals left to test on: import more history or lower trainShare')
  else if (!testAuc) notes.push('the test renewals are all renewed or all churned: AUC is undefined')
  const bands = opts.bands ?? DEFAULT_BANDS
  const bandRates = (['red', 'yellow', 'green'] as const).map((band): BandRate => {
    const inBand = test.filter((_, i) => bandOf(testScores[i]!, bands) === band)
    return { band, renewals: wilson(inBand.filter((s) => s.renewed).length, inBand.length) }
  })
  return {
    trained: { count: train.length, from: train[0]?.dueDate ?? null, to: train.at(-1)?.dueDate ?? null, auc: trainAuc },
    tested: { count: test.length, from: test[0]?.dueDate ?? null, to: test.at(-1)?.dueDate ?? null, auc: testAuc, bands: bandRates },
    model,
    notes,
  }
}

/** Earlier renewals (the training share) and the later rest, never splitting one due date. */
export function splitInTime<T extends { id: string; dueDate: IsoDate }>(samples: readonly T[], trainShare: number): { train: T[]; test: T[] } {
  const sorted = [...samples].sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.id < b.id ? -1 : 1))
  let split = Math.round(sorted.length * trainShare)
  while (split > 0 && split < sorted.length && sorted[split]!.dueDate === sorted[split - 1]!.dueDate) split++
  return { train: sorted.slice(0, split), test: sorted.slice(split) }
}

/** The model for a set of renewals: fitted when asked and both outcomes occur, else manual. */
export function buildModel(components: string[], samples: HealthSample[], opts: Pick<HealthValidationOptions, 'weighting' | 'weights' | 'l2'>): HealthModel {
  const rows = samples.map((s) => s.values)
  const outcomes = samples.map((s) => s.renewed)
  const canFit = outcomes.includes(true) && outcomes.includes(false)
  if ((opts.weighting ?? 'fit') === 'fit' && canFit) return fittedModel(components, rows, outcomes, opts.l2)
  return manualModel(components, rows, opts.weights)
}
