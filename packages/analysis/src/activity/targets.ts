import { compileRulesIndexed } from '../features/compile.js'
import type { FeatureDefinition } from '../features/rules.js'
import { Params } from '../sql/params.js'

/**
 * What the activity table can hold rows for: any activity (id '', version 0) or one version of
 * a feature, with its compiled condition over an events row.
 */
export interface ActivityTarget {
  featureId: string
  version: number
  /** Boolean SQL over an events row; its placeholders are in `params`. */
  condition: string
  params: Record<string, unknown>
}

export const ANY_ACTIVITY: ActivityTarget = { featureId: '', version: 0, condition: '1', params: {} }

/**
 * Compiles each definition's rules under its own parameter prefix so several fit in one query;
 * the conditions use the rule dictionaries and `{project:String}` of the build query.
 */
export function featureTargets(features: readonly FeatureDefinition[]): ActivityTarget[] {
  return features.map((f, i) => {
    const params = new Params(`f${i}_`)
    return { featureId: f.id, version: f.version, condition: compileRulesIndexed(f.rules, params, '{project:String}'), params: params.values }
  })
}
