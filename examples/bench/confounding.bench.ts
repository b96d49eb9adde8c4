import { openTestStore } from '@tenure/analysis/testing'
import { WORLD_KINDS, worldSpec } from '../simulate/worlds/confounding.js'
import { runWorld, type WorldResult } from '../simulate/worlds/run.js'

/**
 * Ground truth of the high-retention report over the confounding worlds and several seeds:
 * per world, nulls flagged (adjusted and crude), effects detected, and the ×1.3 detection rate.
 * SEEDS (default 5) and USERS (default 2400) size the run.
 */
const seeds = Number(process.env.SEEDS ?? 5)
const users = Number(process.env.USERS ?? 2400)
const { store, cleanup } = await openTestStore()
const results: WorldResult[] = []
try {
  for (const kind of WORLD_KINDS) {
    for (let seed = 1; seed <= seeds; seed++) {
      const r = await runWorld(store, `cf-${kind}-${seed}`, worldSpec(kind, seed, users))
      results.push(r)
      const show = r.features.filter((f) => !f.id.startsWith('placebo-') || f.flagged)
      console.log(`${kind} seed ${seed}: ${r.events} events, report ${r.ms.toFixed(0)} ms`)
      for (const f of show) {
        console.log(`  ${f.id.padEnd(20)} effect ×${f.effect} adopters ${f.adopters} crude ${f.crudeLift?.toFixed(2)}${f.crudeFlag ? '*' : ' '} adjusted ${f.adjustedLift?.toFixed(2)} [${f.adjustedLow?.toFixed(2)}] q ${f.adjustedQ?.toPrecision(2)} placebo q ${f.placeboP?.toPrecision(2) ?? "–"} ${f.flagged ? 'FLAGGED' : ''}`)
      }
    }
  }
} finally {
  await cleanup()
}
console.log('\nworld               nulls flagged (adjusted / crude)   effects ≥×1.6 detected   ×1.3 detected')
for (const kind of WORLD_KINDS) {
  const fs = results.filter((r) => r.kind === kind).flatMap((r) => r.features)
  const nulls = fs.filter((f) => f.effect === 1)
  const big = fs.filter((f) => f.effect >= 1.6)
  const small = fs.filter((f) => f.effect === 1.3)
  console.log(
    `${kind.padEnd(20)}${`${nulls.filter((f) => f.flagged).length}/${nulls.length} / ${nulls.filter((f) => f.crudeFlag).length}/${nulls.length}`.padEnd(35)}` +
      `${big.length ? `${big.filter((f) => f.flagged).length}/${big.length}` : '–'}`.padEnd(25) +
      `${small.length ? `${small.filter((f) => f.flagged).length}/${small.length}` : '–'}`,
  )
}
