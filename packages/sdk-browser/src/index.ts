/**
 * @tenure/sdk-browser — product analytics for B2B SaaS.
 *
 *   import { tenure } from '@tenure/sdk-browser'
 *   tenure.init({ key: 'wk_…', host: 'https://collect.example.com' })
 *   tenure.identify('user-42', { plan: 'pro' })
 *   tenure.group('acme-inc')
 *   tenure.track('Report exported', { rows: 120 })
 */
import { createTenure } from './client.js'

export { createTenure, type Tenure, type ClientEnv } from './client.js'
export type { InitOptions, Ids, Plugin, PluginApi, Properties } from './types.js'
export { NO_CAPTURE_ATTR, MASK_ATTR } from './autocapture/privacy.js'

/** The page's client. Safe to import during server rendering: it touches nothing before `init`. */
export const tenure = createTenure()
