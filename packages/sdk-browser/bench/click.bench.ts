/**
 * SDK benchmark: gzip size of the script-tag bundle, and the median time to describe one click
 * on an icon 30 levels deep, in Chromium. Prints the figures and writes bench-results/sdk.json
 * at the repository root.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import resolve from '@rollup/plugin-node-resolve'
import terser from '@rollup/plugin-terser'
import typescript from '@rollup/plugin-typescript'
import { rollup } from 'rollup'
import { launchChromium } from '../e2e/harness.js'

const PKG = join(dirname(fileURLToPath(import.meta.url)), '..')
const ROOT = join(PKG, '..', '..')
const DEPTH = 30
/** performance.now() is coarse in the page (100 µs without isolation): time runs of calls, not single calls. */
const CALLS_PER_SAMPLE = 200
const SAMPLES = 101

async function describeBundle(): Promise<string> {
  const bundle = await rollup({
    input: join(PKG, 'bench/describe-entry.ts'),
    plugins: [resolve(), typescript({ tsconfig: join(PKG, 'bench/tsconfig.json') }), terser()],
    onwarn: () => {},
  })
  const { output } = await bundle.generate({ format: 'iife' })
  await bundle.close()
  return output[0].code
}

/** A realistic deep tree: each level a div with classes, a data attribute, text and siblings; an SVG icon in a button at the bottom. */
function deepPage(script: string): string {
  // Two buttons side by side: real clicks alternate between them, so no burst is a rage click.
  let inner = '<button class="btn btn-icon" aria-label="Archive" data-action="archive"><svg class="icon" viewBox="0 0 16 16" width="32" height="32"><path id="target" d="M0 0h16v16H0z"/></svg><span>Archive</span></button>' +
    '<button class="btn btn-icon" aria-label="Restore" data-action="restore"><svg class="icon" viewBox="0 0 16 16" width="32" height="32"><path id="target2" d="M0 0h16v16H0z"/></svg><span>Restore</span></button>'
  for (let i = DEPTH - 3; i > 0; i--) {
    inner = `<div class="level level-${i} layout" data-level="${i}"${i === 5 ? ' data-feature="archive"' : ''}><span>sibling ${i}</span><p>Text at level ${i}</p>${inner}<div class="after"></div></div>`
  }
  return `<!doctype html><html><head><title>bench</title></head><body><main>${inner}</main>${script}</body></html>`
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

async function main(): Promise<void> {
  const iife = readFileSync(join(PKG, 'dist/tenure.js'))
  const gzipBytes = gzipSync(iife, { level: 9 }).length
  const describeJs = await describeBundle()

  const browser = await launchChromium()
  try {
    const context = await browser.newContext()
    // tsx keeps function names with a helper the page does not have.
    await context.addInitScript('globalThis.__name = (f) => f')
    const page = await context.newPage()
    await page.setContent(deepPage(`<script>${describeJs}</script>`))
    const chain = await page.evaluate(() => {
      const d = (window as unknown as { describeClick(el: Element): { elements: unknown[]; featureKey?: string } }).describeClick(document.getElementById('target')!)
      return { depth: d.elements.length, feature: d.featureKey }
    })
    const describeSamples = await page.evaluate(
      ({ calls, samples }) => {
        const describe = (window as unknown as { describeClick(el: Element): unknown }).describeClick
        const el = document.getElementById('target')!
        for (let i = 0; i < 2000; i++) describe(el)
        const out: number[] = []
        for (let s = 0; s < samples; s++) {
          const t0 = performance.now()
          for (let i = 0; i < calls; i++) describe(el)
          out.push(((performance.now() - t0) / calls) * 1000)
        }
        return out
      },
      { calls: CALLS_PER_SAMPLE, samples: SAMPLES },
    )

    // The whole click listener of the real bundle, for real (trusted) clicks: the SDK ignores
    // clicks a script dispatches. Each click costs the SDK's pointerdown listener (it describes the
    // target there) and its click listener (build and queue the event; storage writes and sending
    // happen later, in tasks of their own). A window capture listener starts the clock before the
    // SDK's document listeners and one added on the document after them stops it. The page is
    // cross-origin isolated, so performance.now() is fine-grained.
    const listenerSamples = async (collector: 'reachable' | 'unreachable'): Promise<number[]> => {
      const site = await context.newPage()
      await site.route('https://bench.invalid/**', (r) => {
        const url = r.request().url()
        if (url.endsWith('/tenure.js')) return r.fulfill({ body: iife, contentType: 'text/javascript', headers: { 'cross-origin-resource-policy': 'same-origin' } })
        if (url.endsWith('/v1/batch')) {
          return collector === 'reachable'
            ? r.fulfill({ status: 200, body: '{"ok":true}', contentType: 'application/json', headers: { 'access-control-allow-origin': '*' } })
            : r.abort('connectionrefused')
        }
        return r.fulfill({
          body: deepPage('<script src="https://bench.invalid/tenure.js" data-key="wk_bench" data-host="https://bench.invalid" data-flush-interval="600000"></script>'),
          contentType: 'text/html',
          headers: { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' },
        })
      })
      await site.goto('https://bench.invalid/app')
      await site.waitForFunction(() => typeof (window as unknown as { tenure?: { flush?: unknown } }).tenure?.flush === 'function')
      isolated = await site.evaluate(() => {
        const w = window as unknown as { __cost: { start: number; total: number } }
        w.__cost = { start: 0, total: 0 }
        for (const type of ['pointerdown', 'click']) {
          addEventListener(type, () => (w.__cost.start = performance.now()), true)
          document.addEventListener(type, () => (w.__cost.total += performance.now() - w.__cost.start), true)
        }
        return crossOriginIsolated
      })
      const boxes = [await site.locator('#target').boundingBox(), await site.locator('#target2').boundingBox()]
      const out: number[] = []
      for (let i = 0; i < 40 + SAMPLES; i++) {
        const b = boxes[i % 2]!
        await site.evaluate(() => ((window as unknown as { __cost: { total: number } }).__cost.total = 0))
        await site.mouse.click(b.x + b.width / 2, b.y + b.height / 2)
        const micros = await site.evaluate(() => (window as unknown as { __cost: { total: number } }).__cost.total * 1000)
        if (i >= 40) out.push(micros)
      }
      const events = await site.evaluate(() => JSON.parse(localStorage.getItem('tenure_queue_wk_bench') || '{"items":[]}').items.length as number)
      await site.close()
      if (collector === 'unreachable' && events === 0) throw new Error('no click was queued: the listener measured nothing')
      return out
    }
    let isolated = false
    const reachable = await listenerSamples('reachable')
    const unreachable = await listenerSamples('unreachable')
    const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)]!

    const result = {
      date: new Date().toISOString(),
      // Other work on the machine slows the browser too: the load average says how much.
      machine: { cpus: cpus().length, loadavg: loadavg().map((x) => Number(x.toFixed(2))) },
      chromium: browser.version(),
      iife: { bytes: iife.length, gzipBytes, gzipKB: +(gzipBytes / 1024).toFixed(2), budgetKB: 12 },
      describeClick: {
        depth: DEPTH,
        chainLength: chain.depth,
        featureKey: chain.feature,
        medianMicros: +median(describeSamples).toFixed(2),
        p90Micros: +[...describeSamples].sort((a, b) => a - b)[Math.floor(SAMPLES * 0.9)]!.toFixed(2),
        method: `median over ${SAMPLES} samples of the mean of ${CALLS_PER_SAMPLE} calls (interactiveTarget + describeElement)`,
      },
      clickListener: {
        reachable: { medianMicros: +median(reachable).toFixed(1), p90Micros: +p90(reachable).toFixed(1) },
        unreachable: { medianMicros: +median(unreachable).toFixed(1), p90Micros: +p90(unreachable).toFixed(1) },
        crossOriginIsolated: isolated,
        method: `${SAMPLES} real clicks alternating between two buttons ${DEPTH} levels deep, real tenure.js: time in its pointerdown and click listeners (describe, build and queue the event; storage writes and sending deferred); collector answering 200, or refusing connections`,
      },
    }
    console.log(`tenure.js: ${result.iife.gzipKB} KB gzip (${gzipBytes} bytes; budget 12 KB)`)
    console.log(`describe one click, ${DEPTH} levels deep (chain of ${chain.depth}): median ${result.describeClick.medianMicros} µs, p90 ${result.describeClick.p90Micros} µs`)
    const cl = result.clickListener
    console.log(`click listeners (pointerdown + click, real clicks), collector reachable: median ${cl.reachable.medianMicros} µs, p90 ${cl.reachable.p90Micros} µs`)
    console.log(`click listeners, collector unreachable: median ${cl.unreachable.medianMicros} µs, p90 ${cl.unreachable.p90Micros} µs${isolated ? '' : ' (timer not isolated: 100 µs steps)'}`)
    mkdirSync(join(ROOT, 'bench-results'), { recursive: true })
    writeFileSync(join(ROOT, 'bench-results', 'sdk.json'), JSON.stringify(result, null, 2) + '\n')
  } finally {
    await browser.close()
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
