import { createTenure, type Tenure } from './client.js'
import type { InitOptions } from './types.js'

/**
 * Script-tag entry. Configures itself from its own tag:
 *   <script async src="https://cdn…/tenure.js" data-key="wk_…" data-host="https://collect…"></script>
 * or replays the snippet's queue (`window.tenure = window.tenure || []`, calls pushed as arrays)
 * made before it loaded, in order.
 */
type Queued = unknown[][]
const w = window as unknown as { tenure?: Tenure | Queued }

function optionsFromTag(s: HTMLScriptElement): Partial<InitOptions> {
  const d = s.dataset
  const src = s.src ? new URL(s.src, location.href) : null
  const flag = (v: string | undefined) => v !== undefined && v !== 'false'
  const o: Partial<InitOptions> = {
    host: d.host || src?.origin,
    assetBase: src ? src.href.slice(0, src.href.lastIndexOf('/') + 1) : '',
  }
  if (d.key) o.key = d.key
  if (d.autocapture === 'false') o.autocapture = false
  if (d.pageviews === 'false') o.pageviews = false
  if (d.consent === 'required') o.requireConsent = true
  if (flag(d.maskText)) o.maskAllText = true
  if (flag(d.nudges)) o.nudges = true
  if (d.stripParams) o.stripParams = d.stripParams.split(',').map((p) => p.trim())
  if (d.flushInterval) o.flushInterval = Number(d.flushInterval)
  return o
}

if (!w.tenure || Array.isArray(w.tenure)) {
  const queued: Queued = Array.isArray(w.tenure) ? w.tenure : []
  const tag = (document.currentScript as HTMLScriptElement | null) ?? document.querySelector<HTMLScriptElement>('script[data-key][src*="tenure"]')
  const fromTag = tag ? optionsFromTag(tag) : {}
  const api = createTenure()
  w.tenure = api
  // An init in the snippet's queue wins over the tag, field by field.
  const init = queued.find((c) => c[0] === 'init')
  const options = { ...fromTag, ...(init?.[1] as Partial<InitOptions> | undefined) }
  if (options.key) api.init(options as InitOptions)
  for (const call of queued) if (call !== init) api.push(call)
}
