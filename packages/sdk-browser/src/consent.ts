import type { KV } from './storage.js'

const CONSENT_KEY = 'tenure_consent'

/**
 * Whether capture may run. An explicit choice (`optIn`/`optOut`) persists and wins; without one,
 * sites that require consent start opted out and others opted in.
 */
export class Consent {
  constructor(
    private readonly kv: KV,
    private readonly required: boolean,
  ) {}

  granted(): boolean {
    const choice = this.kv.get(CONSENT_KEY)
    return choice === null ? !this.required : choice === '1'
  }

  set(granted: boolean): void {
    this.kv.set(CONSENT_KEY, granted ? '1' : '0')
  }
}
