import type { Child } from 'hono/jsx'
import { raw } from 'hono/html'

export type NavKey = 'overview' | 'features' | 'retention' | 'accounts' | 'nudges' | 'people' | 'live'

export const NAV: { key: NavKey; label: string; href: string }[] = [
  { key: 'overview', label: 'Overview', href: '/app' },
  { key: 'features', label: 'Features', href: '/app/features' },
  { key: 'retention', label: 'Retention', href: '/app/retention' },
  { key: 'accounts', label: 'Accounts & renewals', href: '/app/accounts' },
  { key: 'nudges', label: 'Nudges', href: '/app/nudges' },
  { key: 'people', label: 'People', href: '/app/people' },
  { key: 'live', label: 'Live events', href: '/app/live' },
]

export interface LayoutProps {
  title: string
  nav: NavKey | null
  /** Signed-in project; null on the login page. */
  project: { id: string; name: string } | null
  /** Pages the running analysis package offers (others are left out of the menu). */
  navKeys?: readonly NavKey[]
  children?: Child
}

/** The page shell: skip link, header with the menu and logout, main content, data credits. */
export function Layout(props: LayoutProps) {
  const items = NAV.filter((n) => !props.navKeys || props.navKeys.includes(n.key))
  return (
    <>
      {raw('<!doctype html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{props.title} · Tenure</title>
          <link rel="stylesheet" href="/app/static/uPlot.min.css" />
          <link rel="stylesheet" href="/app/static/app.css" />
          <script src="/app/static/uPlot.iife.min.js" defer></script>
          <script src="/app/static/app.js" defer></script>
        </head>
        <body>
          <a class="skip" href="#content">Skip to content</a>
          <header class="top">
            <a class="brand" href="/app">Tenure</a>
            {props.project && (
              <>
                <nav aria-label="Reports">
                  <ul>
                    {items.map((n) => (
                      <li>
                        <a href={n.href} aria-current={props.nav === n.key ? 'page' : undefined}>{n.label}</a>
                      </li>
                    ))}
                  </ul>
                </nav>
                <div class="who">
                  <span class="project" title={`Project ${props.project.id}`}>{props.project.name}</span>
                  <form method="post" action="/app/logout">
                    <button type="submit" class="link">Log out</button>
                  </form>
                </div>
              </>
            )}
          </header>
          <main id="content" tabindex={-1}>
            {props.children}
          </main>
          {/* Countries (first.country) come from DB-IP's data, whose licence (CC BY 4.0) asks pages that use it to link back. */}
          {props.project && (
            <footer class="credits">
              Countries: <a href="https://db-ip.com">IP Geolocation by DB-IP</a>
            </footer>
          )}
        </body>
      </html>
    </>
  )
}
