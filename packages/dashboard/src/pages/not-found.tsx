import { Layout, type NavKey } from '../components/layout.js'
import { ErrorBox } from '../components/states.js'

export function NotFoundPage(props: { project: { id: string; name: string }; navKeys: readonly NavKey[]; path: string }) {
  return (
    <Layout title="Not found" nav={null} project={props.project} navKeys={props.navKeys}>
      <h1>Not found</h1>
      <ErrorBox title="No such page" message={`There is no dashboard page at ${props.path}.`}>
        <p><a href="/app">Go to the overview</a></p>
      </ErrorBox>
    </Layout>
  )
}
