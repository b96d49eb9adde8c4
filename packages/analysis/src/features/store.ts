import type { ClickHouseClient } from '@clickhouse/client'
import { AnalysisError, parseInput } from '../errors.js'
import { versionedStore } from '../store/versioned.js'
import { FeatureInput, FeatureRule, type FeatureDefinition } from './rules.js'

const features = versionedStore<'rules', FeatureRule[]>({
  table: 'feature_definitions',
  idColumn: 'feature_id',
  field: 'rules',
  parse: (json) => FeatureRule.array().parse(json),
  idPrefix: 'f',
  noun: 'feature',
})

/** The current version of every feature of a project (deleted ones left out unless asked for). */
export const listFeatures: (
  client: ClickHouseClient,
  project: string,
  opts?: { includeDeleted?: boolean; ids?: readonly string[] },
) => Promise<FeatureDefinition[]> = features.list

/** The current version of one feature, or null when it does not exist or was deleted. */
export const getFeature: (client: ClickHouseClient, project: string, id: string) => Promise<FeatureDefinition | null> = features.get

/** Every version of a feature, newest first. */
export const featureHistory: (client: ClickHouseClient, project: string, id: string) => Promise<FeatureDefinition[]> = features.history

/** Creates a feature (version 1, or the next version when an id of a deleted feature is reused). */
export async function createFeature(client: ClickHouseClient, project: string, input: FeatureInput): Promise<FeatureDefinition> {
  const { id, ...body } = parseInput(FeatureInput, input)
  return features.create(client, project, id, body)
}

/** Replaces a feature's definition with a new version; history changes at the next report. */
export async function updateFeature(
  client: ClickHouseClient,
  project: string,
  id: string,
  input: FeatureInput,
): Promise<FeatureDefinition> {
  const { id: bodyId, ...body } = parseInput(FeatureInput, input)
  if (bodyId !== undefined && bodyId !== id) throw new AnalysisError('conflict', 'the id in the body differs from the URL', 'id')
  return features.update(client, project, id, body)
}

/** Marks a feature deleted (a new version); its history stays readable. */
export function deleteFeature(client: ClickHouseClient, project: string, id: string): Promise<FeatureDefinition> {
  return features.remove(client, project, id)
}
