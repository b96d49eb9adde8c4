import { z } from 'zod'
import { parseSelector, SelectorError } from './selector.js'
import { parsePathPattern, PathPatternError } from './path-pattern.js'

/** A feature id: lower-case, URL-safe, stable across versions. */
export const FeatureId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, "_" and "-", at most 64, starting with a letter or digit')

const text = (max: number) => z.string().min(1).max(max)

/**
 * One way a raw event can count as use of a feature. A feature's rules combine with OR.
 * `element` matches when the clicked element or one of its ancestors matches the selector (and
 * has the text, when given): a click inside a matching button is a use of that button.
 */
export const FeatureRule = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('element'),
      selector: text(500).optional(),
      text: text(200).optional(),
      /** `equals` is exact; `contains` ignores case. */
      textMatch: z.enum(['equals', 'contains']).default('equals'),
    })
    .strict()
    .superRefine((r, ctx) => {
      if (r.selector === undefined && r.text === undefined) {
        ctx.addIssue({ code: 'custom', message: 'an element rule needs a selector, a text, or both', path: ['selector'] })
      }
      if (r.selector !== undefined) {
        try {
          parseSelector(r.selector)
        } catch (e) {
          if (e instanceof SelectorError) ctx.addIssue({ code: 'custom', message: e.message, path: ['selector'] })
          else throw e
        }
      }
    }),
  z
    .object({ type: z.literal('url'), pattern: text(500) })
    .strict()
    .superRefine((r, ctx) => {
      try {
        parsePathPattern(r.pattern)
      } catch (e) {
        if (e instanceof PathPatternError) ctx.addIssue({ code: 'custom', message: e.message, path: ['pattern'] })
        else throw e
      }
    }),
  z.object({ type: z.literal('event'), name: text(200) }).strict(),
  z.object({ type: z.literal('feature_key'), key: text(200) }).strict(),
])
export type FeatureRule = z.infer<typeof FeatureRule>

/** What a client sends to create or replace a feature. */
export const FeatureInput = z
  .object({
    id: FeatureId.optional(),
    name: z.string().trim().min(1).max(200),
    description: z.string().max(2000).default(''),
    rules: z.array(FeatureRule).min(1).max(50),
  })
  .strict()
export type FeatureInput = z.input<typeof FeatureInput>

/** A stored version of a feature definition. */
export interface FeatureDefinition {
  id: string
  version: number
  name: string
  description: string
  rules: FeatureRule[]
  deleted: boolean
  updatedAt: string
}
