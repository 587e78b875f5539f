/** The installed connector plugins, each a link to the create form for its class. */
import { api } from '../api/connect-client.ts';
import { ErrorNote } from '../components/error-note.tsx';
import { useResource } from '../components/use-resource.ts';

export function PluginsPage() {
  const plugins = useResource(() => api.plugins(), []);
  return (
    <section aria-labelledby="plugins-title">
      <h1 id="plugins-title">Connector plugins</h1>
      <ErrorNote error={plugins.error} />
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Class</th>
              <th scope="col">Type</th>
              <th scope="col">Version</th>
              <th scope="col">
                <span class="visually-hidden">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(plugins.data ?? []).map((p) => (
              <tr key={p.class}>
                <td class="cls">{p.class}</td>
                <td>{p.type}</td>
                <td>{p.version ?? ''}</td>
                <td>
                  <a href={`/ui/new?class=${encodeURIComponent(p.class)}`}>Create</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
