import type { FeatureInput } from '../src/features/rules.js'

/** The benchmark's 50 features, one kind of rule per block, matching what `generateEvents` writes. */
export function benchFeatures(count: number): FeatureInput[] {
  return Array.from({ length: count }, (_, f): FeatureInput => {
    const id = `f${f}`
    if (f < 20) return { id, name: `Data feature ${f}`, rules: [{ type: 'feature_key', key: `feat_${f}` }] }
    if (f < 25) return { id, name: `Toolbar ${f}`, rules: [{ type: 'element', selector: `.toolbar .f${f}` }] }
    if (f < 30) return { id, name: `Button ${f}`, rules: [{ type: 'element', selector: `.btn.f${f}` }] }
    if (f < 40) return { id, name: `Custom ${f}`, rules: [{ type: 'event', name: `custom_${f}` }] }
    if (f < 45) return { id, name: `Page ${f}`, rules: [{ type: 'url', pattern: `/app/${f % 10}/item/*` }] }
    return { id, name: `Text ${f}`, rules: [{ type: 'element', text: `Action ${f}` }] }
  })
}
