/** The console's shell: a skip link, the navigation, and the page the URL under /ui/ names. */
import lazy from 'preact-iso/lazy';
import { LocationProvider, Route, Router, useRoute } from 'preact-iso/router';
import { useState } from 'preact/hooks';
import { setToken } from './api/connect-client.ts';
import { ConnectorFormPage } from './pages/connector-form-page.tsx';
import { ConnectorListPage } from './pages/connector-list-page.tsx';
import { PluginsPage } from './pages/plugins-page.tsx';

// The connector page brings the charting library: a chunk of its own, so the list paints without it.
const ConnectorPage = lazy(() => import('./pages/connector-page.tsx').then((m) => m.ConnectorPage));

function Connector() {
  const { params } = useRoute();
  return <ConnectorPage name={params.name as string} />;
}

function EditConnector() {
  const { params } = useRoute();
  return <ConnectorFormPage name={params.name as string} />;
}

function NotFound() {
  return (
    <section>
      <h1>Not found</h1>
      <p>
        <a href="/ui/">Back to the connectors</a>
      </p>
    </section>
  );
}

/** Only when the host asks for a bearer token (TRIBUTARY_API_TOKEN): kept for this tab's session. */
function TokenForm() {
  const [value, setValue] = useState('');
  return (
    <form
      class="token"
      onSubmit={(e) => {
        e.preventDefault();
        setToken(value);
        location.reload();
      }}
    >
      <label>
        API token
        <input type="password" value={value} autoComplete="off" onInput={(e) => setValue(e.currentTarget.value)} />
      </label>
      <button type="submit">Use</button>
    </form>
  );
}

export function App() {
  return (
    <LocationProvider scope="/ui">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href="/ui/">
          Tributary
        </a>
        <nav aria-label="Main">
          <a href="/ui/">Connectors</a>
          <a href="/ui/plugins">Plugins</a>
          <a href="/ui/new">New connector</a>
        </nav>
        <details class="token-box">
          <summary>Token</summary>
          <TokenForm />
        </details>
      </header>
      <main id="main" tabIndex={-1}>
        <Router>
          <Route path="/ui" component={ConnectorListPage} />
          <Route path="/ui/plugins" component={PluginsPage} />
          <Route path="/ui/new" component={ConnectorFormPage} />
          <Route path="/ui/connectors/:name" component={Connector} />
          <Route path="/ui/connectors/:name/edit" component={EditConnector} />
          <Route default component={NotFound} />
        </Router>
      </main>
    </LocationProvider>
  );
}
