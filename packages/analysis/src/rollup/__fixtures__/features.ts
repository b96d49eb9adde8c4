import type { ClickHouseClient } from '@clickhouse/client'
import { createFeature } from '../../features/store.js'

/**
 * One feature per rule kind (element, element with text and an event, URL, feature key), as the
 * migration tests of the tables that feature rules are tested on define them.
 */
export async function createFeatureOfEachRuleKind(client: ClickHouseClient, projectId: string): Promise<void> {
  await createFeature(client, projectId, { id: 'exporting', name: 'Exporting', rules: [{ type: 'element', selector: 'button#export' }] })
  await createFeature(client, projectId, { id: 'upgrading', name: 'Upgrading', rules: [{ type: 'element', selector: 'a.nav', text: 'Upgrade' }, { type: 'event', name: 'report_shared' }] })
  await createFeature(client, projectId, { id: 'reports', name: 'Reports', rules: [{ type: 'url', pattern: '/reports/*' }] })
  await createFeature(client, projectId, { id: 'seats', name: 'Seats', rules: [{ type: 'feature_key', key: 'seats' }] })
}
