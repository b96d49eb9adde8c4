/** A page group's sub-menu: one link per page, the current one marked, each carrying `query`. */
export function Tabs<K extends string>(props: { label: string; tabs: readonly { key: K; label: string; href: string }[]; current: K; query: string }) {
  return (
    <nav class="tabs" aria-label={props.label}>
      {props.tabs.map((t) => (
        <a href={`${t.href}${props.query}`} aria-current={props.current === t.key ? 'page' : undefined}>{t.label}</a>
      ))}
    </nav>
  )
}
