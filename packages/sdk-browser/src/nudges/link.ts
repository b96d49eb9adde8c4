/**
 * Links a nudge may open: absolute http(s), or a path/query/fragment on this site. Never
 * javascript:, data: or protocol-relative URLs, whatever the collector sent (the collector checks
 * the same at configuration time).
 */
export function safeHref(url: string | undefined): string | null {
  if (!url || /[\u0000-\u0020\u007f\\]/.test(url)) return null
  if (url[0] === '/') return url[1] === '/' ? null : url
  if (url[0] === '?' || url[0] === '#') return url
  try {
    const u = new URL(url)
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null
  } catch {
    return null
  }
}
