import { createFeature, listFeatures, type Store } from '@tenure/analysis'
import { featureDefinitions } from '../simulate/catalog.js'

/**
 * Defines the demo app's features in the project, as a product team would in the dashboard:
 * the `data-feature` ones by key, the others retroactively by text, selector or custom event.
 * Definitions that already exist are left as they are (someone may have edited them).
 */
export async function defineDemoFeatures(client: Store['client'], projectId: string): Promise<number> {
  const existing = new Set((await listFeatures(client, projectId, { includeDeleted: true })).map((f) => f.id))
  let created = 0
  for (const def of featureDefinitions()) {
    if (existing.has(def.id)) continue
    await createFeature(client, projectId, def)
    created++
  }
  return created
}
