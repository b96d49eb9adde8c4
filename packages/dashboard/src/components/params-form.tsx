export interface Field {
  name: string
  label: string
  type: 'date' | 'number' | 'select' | 'text'
  options?: { value: string; label: string }[]
  min?: number
  max?: number
  step?: number
  placeholder?: string
  /** Suggestions for a text field (e.g. time zones). */
  list?: string[]
  width?: 's' | 'm' | 'l'
}

/** The time-zone field every report with calendar days has: a choice among the IANA zones. */
export { TZ_SELECT as TZ_FIELD } from './tz-field.js'

/**
 * Report parameters as a GET form: submitting puts them in the URL, so a view can be shared
 * or bookmarked as it is. `values` are the parsed values (defaults filled in) or, when they did
 * not parse, what the user typed.
 */
export function ParamsForm(props: { action: string; fields: Field[]; values: Record<string, string>; invalid?: string | null; keep?: Record<string, string> }) {
  return (
    <form class="params" method="get" action={props.action} aria-label="Report parameters">
      {Object.entries(props.keep ?? {}).map(([k, v]) => (
        <input type="hidden" name={k} value={v} />
      ))}
      {props.fields.map((f) => {
        const id = `p-${f.name}`
        const common = { id, name: f.name, 'aria-invalid': props.invalid === f.name ? 'true' : undefined, class: `w-${f.width ?? 'm'}` }
        return (
          <label for={id}>
            <span>{f.label}</span>
            {f.type === 'select' ? (
              <select {...common}>
                {(f.options ?? []).map((o) => (
                  <option value={o.value} selected={props.values[f.name] === o.value}>{o.label}</option>
                ))}
              </select>
            ) : (
              <input
                {...common}
                type={f.type}
                value={props.values[f.name] ?? ''}
                min={f.min}
                max={f.max}
                step={f.step}
                placeholder={f.placeholder}
                list={f.list ? `${id}-list` : undefined}
              />
            )}
            {f.list ? (
              <datalist id={`${id}-list`}>
                {f.list.map((v) => (
                  <option value={v} />
                ))}
              </datalist>
            ) : null}
          </label>
        )
      })}
      <button type="submit">Update</button>
    </form>
  )
}
