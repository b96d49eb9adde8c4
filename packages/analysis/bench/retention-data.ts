import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createFeature } from '../src/features/store.js'
import { createNudge, startNudge, stopNudge } from '../src/nudges/store.js'
import type { Store } from '../src/store/index.js'
import { openBenchData } from './data-folder.js'
import { benchFeatures } from './features.js'
import { BENCH_NUDGE, BENCH_SHAPE, generateEvents, generateNudge } from './generate.js'

/** The retention benchmark's data: `BENCH_EVENTS` events (default 10 million) of the synthetic shape, with its features and one finished nudge. */
export const retentionShape = { ...BENCH_SHAPE, events: Number(process.env.BENCH_EVENTS ?? BENCH_SHAPE.events) }
const marker = JSON.stringify({ ...retentionShape, generator: 3, nudge: BENCH_NUDGE })
export const retentionDataDir = join(tmpdir(), `tenure-bench-analysis-${retentionShape.events}`)

/**
 * Opens the retention benchmark's data folder, generating it first when it is missing or of
 * another shape; every benchmark on this data shares the folder. `loadMs`: the generation's time, null when reused.
 */
export async function openRetentionData(): Promise<{ store: Store; loadMs: number | null }> {
  const shape = retentionShape
  const { store, reuse, markLoaded } = await openBenchData(retentionDataDir, marker)
  if (reuse) {
    console.log(`reusing ${retentionDataDir}`)
    return { store, loadMs: null }
  }
  const client = store.client
  console.log(`generating ${shape.events.toLocaleString()} events …`)
  const t0 = process.hrtime.bigint()
  await generateEvents(client, shape)
  await generateNudge(client, shape, BENCH_NUDGE)
  for (const f of benchFeatures(shape.features)) await createFeature(client, shape.project, f)
  const day = (d: number) => new Date(Date.parse(`${shape.start}T00:00:00Z`) + d * 86_400_000)
  await createNudge(client, shape.project, {
    id: BENCH_NUDGE.id, name: 'Try feature 0', featureId: `f${BENCH_NUDGE.feature}`, placement: { type: 'banner', position: 'bottom' },
    copy: { body: 'Try feature 0' }, holdoutShare: BENCH_NUDGE.holdoutShare,
  }, { now: day(BENCH_NUDGE.fromDay - 1) })
  await startNudge(client, shape.project, BENCH_NUDGE.id, { now: day(BENCH_NUDGE.fromDay) })
  await stopNudge(client, shape.project, BENCH_NUDGE.id, { now: day(BENCH_NUDGE.toDay) })
  const loadMs = Number(process.hrtime.bigint() - t0) / 1e6
  markLoaded()
  console.log(`loaded in ${(loadMs / 1000).toFixed(1)} s`)
  return { store, loadMs }
}
