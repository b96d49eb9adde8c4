import type { Field } from './params-form.js'

/** Every IANA zone the runtime knows, UTC first: the time zone is picked, never typed. */
export const TIME_ZONES: readonly string[] = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')]

export const TZ_SELECT: Field = { name: 'tz', label: 'Time zone', type: 'select', width: 'm', options: TIME_ZONES.map((z) => ({ value: z, label: z })) }
