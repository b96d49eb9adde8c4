import type { ClickHouseClient } from '@clickhouse/client'
import { AnalysisError } from '../errors.js'
import { listFeatures } from '../features/store.js'
import type { SegmentDefinition } from './definition.js'
import { listProperties } from './properties.js'

/**
 * Refuses a definition that names a property nobody stored or a feature that does not exist,
 * naming the condition (`<field>.conditions.<i>.property`), before any report query runs.
 */
export async function checkDefinition(client: ClickHouseClient, project: string, def: SegmentDefinition, field: string): Promise<void> {
  const props = def.conditions.some((c) => c.type === 'property') ? new Set((await listProperties(client, project)).map((p) => p.name)) : null
  const featureIds = def.conditions.flatMap((c) => (c.type === 'used_feature' ? [c.feature] : []))
  const features = featureIds.length ? new Set((await listFeatures(client, project, { ids: featureIds })).map((f) => f.id)) : null
  def.conditions.forEach((c, i) => {
    if (c.type === 'property' && !props!.has(c.property)) {
      throw new AnalysisError('invalid', `${field}.conditions.${i}.property: no stored property ${c.property}`, `${field}.conditions.${i}.property`)
    }
    if (c.type === 'used_feature' && !features!.has(c.feature)) {
      throw new AnalysisError('invalid', `${field}.conditions.${i}.feature: no feature ${c.feature}`, `${field}.conditions.${i}.feature`)
    }
  })
}

/** Checks one breakdown property against the stored ones. */
export async function checkProperty(client: ClickHouseClient, project: string, property: string, field: string): Promise<void> {
  const props = new Set((await listProperties(client, project)).map((p) => p.name))
  if (!props.has(property)) throw new AnalysisError('invalid', `${field}: no stored property ${property}`, field)
}
