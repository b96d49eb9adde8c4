import type { Plugin, PluginApi } from './types.js'

/** Plugins wait for a running client, then each gets the narrow API once. */
export class Plugins {
  private waiting: Plugin[] = []
  private api: PluginApi | null = null

  use(plugin: Plugin): void {
    if (typeof plugin !== 'function') return
    if (this.api) run(plugin, this.api)
    else this.waiting.push(plugin)
  }

  start(api: PluginApi): void {
    this.api = api
    const list = this.waiting
    this.waiting = []
    for (const p of list) run(p, api)
  }

  stop(): void {
    this.api = null
  }
}

function run(plugin: Plugin, api: PluginApi): void {
  try {
    plugin(api)
  } catch {
    // A broken plugin must not take capture down with it.
  }
}

const loaded = new Set<string>()

/**
 * Loads a separately built chunk (e.g. `tenure-nudges.js`) by script tag, once. The chunk
 * registers itself with `(window.tenure = window.tenure || []).push(['use', plugin])`.
 */
export function loadChunk(base: string, name: string): void {
  const src = `${base}tenure-${name}.js`
  if (!base || loaded.has(src)) return
  loaded.add(src)
  const s = document.createElement('script')
  s.async = true
  s.src = src
  document.head.appendChild(s)
}
