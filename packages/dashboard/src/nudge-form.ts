import type { Nudge, NudgeInput } from '@tenure/analysis'

/** The nudge form's fields as posted (all text), and their defaults for a new nudge. */
export interface NudgeFormValues {
  id: string
  name: string
  feature: string
  first_days: string
  pages: string
  plans: string
  /** 'on' when anonymous visitors may see it too (a checkbox: absent when unticked). */
  anonymous: string
  placement: 'banner' | 'tooltip'
  selector: string
  side: string
  position: string
  title: string
  body: string
  cta_label: string
  cta_url: string
  max_shows: string
  min_hours: string
  holdout_pct: string
}

export const NEW_NUDGE: NudgeFormValues = {
  id: '', name: '', feature: '', first_days: '14', pages: '', plans: '', anonymous: '', placement: 'banner', selector: '', side: 'bottom', position: 'bottom',
  title: '', body: '', cta_label: '', cta_url: '', max_shows: '3', min_hours: '24', holdout_pct: '10',
}

export function readNudgeForm(body: Record<string, unknown>): NudgeFormValues {
  const out = { ...NEW_NUDGE }
  for (const k of Object.keys(NEW_NUDGE) as (keyof NudgeFormValues)[]) {
    const v = body[k]
    if (typeof v === 'string') (out as Record<string, string>)[k] = v.trim()
  }
  out.placement = out.placement === 'tooltip' ? 'tooltip' : 'banner'
  return out
}

const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean)
/** A number from a form field; NaN for text, so the analysis package's check names the field. */
const num = (s: string) => (s === '' ? Number.NaN : Number(s))

/** The input for createNudge; the analysis package validates it and names the bad field. */
export function nudgeInput(v: NudgeFormValues): NudgeInput {
  return {
    ...(v.id ? { id: v.id } : {}),
    name: v.name,
    featureId: v.feature,
    audience: { firstDays: num(v.first_days), pages: list(v.pages), plans: list(v.plans), anonymous: v.anonymous === 'on' },
    placement: v.placement === 'tooltip'
      ? { type: 'tooltip', selector: v.selector, side: v.side as 'top' | 'bottom' | 'left' | 'right', fallback: 'banner' }
      : { type: 'banner', position: v.position as 'top' | 'bottom' },
    copy: {
      ...(v.title ? { title: v.title } : {}),
      body: v.body,
      ...(v.cta_label ? { cta: { label: v.cta_label, ...(v.cta_url ? { url: v.cta_url } : {}) } } : {}),
    },
    frequency: { maxShows: num(v.max_shows), minHoursBetween: num(v.min_hours) },
    holdoutShare: num(v.holdout_pct) / 100,
  }
}

/** Analysis field paths → form field names, to mark the right input. */
export function nudgeFormField(path: string | null): string | null {
  if (!path) return null
  const map: [RegExp, string][] = [
    [/^featureId/, 'feature'], [/^audience\.firstDays/, 'first_days'], [/^audience\.pages/, 'pages'], [/^audience\.plans/, 'plans'],
    [/^placement\.selector/, 'selector'], [/^copy\.title/, 'title'], [/^copy\.body/, 'body'], [/^copy\.cta\.label/, 'cta_label'],
    [/^copy\.cta\.url/, 'cta_url'], [/^frequency\.maxShows/, 'max_shows'], [/^frequency\.minHoursBetween/, 'min_hours'],
    [/^holdoutShare/, 'holdout_pct'], [/^name/, 'name'], [/^id/, 'id'],
  ]
  return map.find(([re]) => re.test(path))?.[1] ?? null
}

/** The form's values for an existing nudge, to edit it. */
export function nudgeFormValues(n: Nudge): NudgeFormValues {
  const p = n.placement
  return {
    id: n.id, name: n.name, feature: n.featureId,
    first_days: String(n.audience.firstDays), pages: n.audience.pages.join(', '), plans: n.audience.plans.join(', '), anonymous: n.audience.anonymous ? 'on' : '',
    placement: p.type, selector: p.type === 'tooltip' ? p.selector : '', side: p.type === 'tooltip' ? p.side : 'bottom', position: p.type === 'banner' ? p.position : 'bottom',
    title: n.copy.title ?? '', body: n.copy.body, cta_label: n.copy.cta?.label ?? '', cta_url: n.copy.cta?.url ?? '',
    max_shows: String(n.frequency.maxShows), min_hours: String(n.frequency.minHoursBetween), holdout_pct: String(Math.round(n.holdoutShare * 1000) / 10),
  }
}
