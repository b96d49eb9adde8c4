import type { ClickHouseClient } from '@clickhouse/client'
import { listFeatures } from '../features/store.js'
import { shareInFlight } from '../sql/in-flight.js'
import type { FeatureCondition } from './usage.js'

export interface FeatureSet {
  /** `definitions`: the project's feature definitions; `feature_key`: raw keys on events (no definitions yet). */
  source: 'definitions' | 'feature_key'
  /** Conditions to measure; undefined = every feature key seen. */
  conditions: FeatureCondition[] | undefined
  /** Feature id → name, for the definitions. */
  names: Record<string, string>
}

/** The features usage × renewal reports measure: the project's definitions when it has any, else raw feature keys. */
export async function featuresToMeasure(client: ClickHouseClient, projectId: string): Promise<FeatureSet> {
  return structuredClone(await shareInFlight(client, JSON.stringify(['features to measure', projectId]), () => compileFeatures(client, projectId)))
}

async function compileFeatures(client: ClickHouseClient, projectId: string): Promise<FeatureSet> {
  const defs = await listFeatures(client, projectId)
  if (defs.length === 0) return { source: 'feature_key', conditions: undefined, names: {} }
  return {
    source: 'definitions',
    conditions: defs.map((d) => ({ key: d.id, definition: d })),
    names: Object.fromEntries(defs.map((d) => [d.id, d.name])),
  }
}
