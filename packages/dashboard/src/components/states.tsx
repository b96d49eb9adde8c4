import type { Child } from 'hono/jsx'

/** Shown while a report is computed; hidden by CSS once the report follows it in the stream. */
export function Loading(props: { what?: string }) {
  return (
    <div class="loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true"></span> Computing {props.what ?? 'the report'}…
    </div>
  )
}

export function ErrorBox(props: { title?: string; message: string; field?: string | null; children?: Child }) {
  return (
    <div class="error-box" role="alert">
      <strong>{props.title ?? 'The report could not be computed'}</strong>
      <p>
        {props.message}
        {props.field ? <> (parameter <code>{props.field}</code>)</> : null}
      </p>
      {props.children}
    </div>
  )
}

export function Empty(props: { children: Child }) {
  return <p class="empty">{props.children}</p>
}

export function Note(props: { children: Child; kind?: 'info' | 'warn' }) {
  return <p class={`note ${props.kind ?? 'info'}`}>{props.children}</p>
}
