import { createNudge, getNudge, type NudgeInput, type Store } from '@tenure/analysis'

/** The nudge the demo's first start prepares, as a draft: start it in the dashboard to see it in the demo app. */
export const DEMO_NUDGE: NudgeInput = {
  id: 'connect-integration',
  name: 'Connect an integration in the first week',
  // The simulator's ground truth: connecting an integration raises retention.
  featureId: 'integrations-connect',
  audience: { firstDays: 14, pages: [], plans: [], anonymous: false },
  placement: { type: 'banner', position: 'bottom' },
  copy: {
    title: 'Connect your tools',
    body: 'Teams that connect an integration in their first week keep coming back. It takes a minute.',
    cta: { label: 'Connect one', url: '/demo/integrations.html' },
  },
  frequency: { maxShows: 3, minHoursBetween: 24 },
  holdoutShare: 0.1,
}

/** Creates the demo nudge as a draft unless it exists (someone may have edited or archived it). */
export async function prepareDemoNudge(client: Store['client'], projectId: string): Promise<boolean> {
  if (await getNudge(client, projectId, DEMO_NUDGE.id!)) return false
  await createNudge(client, projectId, DEMO_NUDGE)
  return true
}
