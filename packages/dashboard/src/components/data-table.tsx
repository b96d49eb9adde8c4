import type { AnyTable } from '../table.js'
import type { TableSort } from '../table-sort.js'
import { Empty } from './states.js'

/** Background for a heat-map cell, 0 (pale) to 1 (dark), and a text colour that stays readable. */
export function heatStyle(h: number | null): string | undefined {
  if (h === null || !Number.isFinite(h)) return undefined
  const x = Math.max(0, Math.min(1, h))
  const light = Math.round(97 - 55 * x)
  return `background:hsl(212 72% ${light}%);color:${light < 60 ? '#fff' : '#102a43'}`
}

/** The raw value app.js sorts by in place (the same value the server sorts by). */
function sortValue(v: unknown): string {
  return v === null || v === undefined ? '' : String(v)
}

function display(v: unknown): string {
  if (v === null || v === undefined) return '—'
  return String(v)
}

/** A table with its heading and a CSV link that downloads the same rows. */
export function DataTable(props: { t: AnyTable; csvHref: string; sort?: TableSort | null; sortHref?: (table: string, column: string, dir: 'asc' | 'desc') => string }) {
  const { t } = props
  const cols = t.columns.filter((c) => !c.csvOnly)
  const headId = `t-${t.id}`
  return (
    <section class="table-block" aria-labelledby={headId} data-table-block={t.id}>
      <div class="block-head">
        <h3 id={headId}>{t.title}</h3>
        <a class="csv" href={props.csvHref} download>
          Download CSV<span class="sr-only"> of {t.title}</span>
        </a>
      </div>
      {t.note ? <div class="table-note">{t.note}</div> : null}
      {t.rows.length === 0 ? (
        <Empty>{t.empty}</Empty>
      ) : (
        <div class="scroll" tabindex={0} role="region" aria-labelledby={headId}>
          <table data-table={t.id}>
            <thead>
              <tr>
                {cols.map((c) => {
                  // Headings are links to the same page sorted by the column (server-side); app.js sorts in place when it runs.
                  const dir = props.sort?.column === c.key ? props.sort.dir : null
                  const next = dir === 'asc' ? 'desc' : dir === 'desc' ? 'asc' : c.numeric ? 'desc' : 'asc'
                  return (
                    <th scope="col" class={c.numeric ? 'num' : undefined} aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : undefined}>
                      {props.sortHref && !c.pageOnly ? <a class="sort" href={props.sortHref(t.id, c.key, next)} data-sort-col={c.key} data-sort-next={next}>{c.label}</a> : c.label}
                    </th>
                  )
                })}
              </tr>
            </thead>
            <tbody>
              {t.rows.map((r) => (
                <tr class={t.highlight?.(r) ? 'hl' : undefined}>
                  {cols.map((c) => (
                    <td class={c.numeric ? 'num' : undefined} data-col={c.key} data-v={sortValue(c.value(r))} style={c.heat ? heatStyle(c.heat(r)) : undefined}>
                      {c.show ? c.show(r) : display(c.value(r))}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
