/**
 * SDK benchmark: gzip size of the script-tag bundle, and the median time to describe one click
 * on an icon 30 levels deep, in Chromium. Prints the figures and writes bench-results/sdk.json
 * at the repository root.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
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
  let inner = '<button class="btn btn-icon" aria-label="Archive" data-action="archive"><svg class="icon" viewBox="0 0 16 16"><path id="target" d="M0 0h16v16H0z"/></svg><span>Archive</span></button>'
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

    // The whole click listener of the real bundle: describe, build the event, queue it (the
    // localStorage write follows when the page is idle, outside the listener).
    const site = await context.newPage()
    await site.route('https://bench.invalid/**', (r) =>
      r.request().url().endsWith('/tenure.js')
        ? r.fulfill({ body: iife, contentType: 'text/javascript' })
        : r.request().url().endsWith('/v1/batch')
          ? r.fulfill({ status: 200, body: '{"ok":true}', contentType: 'application/json', headers: { 'access-control-allow-origin': '*' } })
          : r.fulfill({ body: deepPage('<script src="https://bench.invalid/tenure.js" data-key="wk_bench" data-host="https://bench.invalid" data-flush-interval="600000"></script>'), contentType: 'text/html' }),
    )
    await site.goto('https://bench.invalid/app')
    await site.waitForFunction(() => typeof (window as unknown as { tenure?: { flush?: unknown } }).tenure?.flush === 'function')
    const clickSamples = await site.evaluate(
      async ({ samples }) => {
        const el = document.getElementById('target')!
        const tenure = (window as unknown as { tenure: { flush(): Promise<void> } }).tenure
        const out: number[] = []
        // Spread out, so no rage clicks; 10 per sample stays below flushAt (20), and the queue is
        // delivered between samples, so each sample starts from an empty queue.
        const clickBurst = () => {
          for (let i = 0; i < 10; i++) el.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, clientX: i * 100, clientY: 0 }))
        }
        for (let w = 0; w < 20; w++) {
          clickBurst()
          await tenure.flush()
        }
        for (let s = 0; s < samples; s++) {
          await tenure.flush()
          const t0 = performance.now()
          clickBurst()
          out.push(((performance.now() - t0) / 10) * 1000)
        }
        return out
      },
      { samples: SAMPLES },
    )

    const result = {
      date: new Date().toISOString(),
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
        medianMicros: +median(clickSamples).toFixed(2),
        method: `median over ${SAMPLES} samples of the mean of 10 dispatched clicks, real tenure.js (describe, build and queue the event; storage write deferred to idle)`,
      },
    }
    console.log(`tenure.js: ${result.iife.gzipKB} KB gzip (${gzipBytes} bytes; budget 12 KB)`)
    console.log(`describe one click, ${DEPTH} levels deep (chain of ${chain.depth}): median ${result.describeClick.medianMicros} µs, p90 ${result.describeClick.p90Micros} µs`)
    console.log(`whole click listener (describe, build, queue): median ${result.clickListener.medianMicros} µs`)
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
