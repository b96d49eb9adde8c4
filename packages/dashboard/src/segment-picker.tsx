import { listSegments } from '@tenure/analysis'
import type { Field } from './components/params-form.js'
import type { PageCtx } from './context.js'
import { ParamError } from './params.js'
import type { PageDef } from './render.js'

/** The picker's option for no segment at all. */
export const EVERYONE = 'Everyone'

/**
 * A page that takes a segment gets a "Segment" select of the project's saved segments after its
 * own fields; the chosen id travels in the URL (`segment=<id>`, with the other parameters in CSV
 * links and shared addresses) and reaches the page's loads as `ctx.segment`. An id that is not a
 * saved segment is a 400 naming the field, like any other bad parameter.
 */
export async function withSegmentPicker<P, D>(
  def: PageDef<P, D>,
  ctx: PageCtx,
  query: Record<string, string>,
): Promise<{ def: PageDef<P, D>; ctx: PageCtx }> {
  if (!def.segments) return { def, ctx }
  const segments = await listSegments(ctx.client, ctx.project.id)
  const given = query.segment ?? ''
  const field: Field = {
    name: 'segment',
    label: 'Segment',
    type: 'select',
    width: 'l',
    options: [{ value: '', label: EVERYONE }, ...segments.map((s) => ({ value: s.id, label: s.name }))],
  }
  const chosen = segments.find((s) => s.id === given)
  const known = given === '' || chosen !== undefined
  return {
    ctx: { ...ctx, segment: chosen?.id },
    def: {
      ...def,
      // Said above the report too: a restricted view must not pass for everyone's.
      intro: chosen ? (
        <>
          {def.intro}
          {def.segments === 'accounts' ? (
            <p class="segment-note" data-segment={chosen.id}>Only accounts in the segment <strong>{chosen.name}</strong> (for conditions on people: accounts with a member in it; as of the report's day).</p>
          ) : (
            <p class="segment-note" data-segment={chosen.id}>Only people in the segment <strong>{chosen.name}</strong> (as of the report's day).</p>
          )}
        </>
      ) : def.intro,
      fields: [...def.fields, field],
      parse(q, c) {
        const { segment: _segment, ...rest } = q
        if (!known) throw new ParamError(`no saved segment ${given}`, 'segment')
        return def.parse(rest, c)
      },
      values: (p) => ({ ...def.values(p), ...(given ? { segment: given } : {}) }),
    },
  }
}
