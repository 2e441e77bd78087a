import { useState, type FormEvent } from 'react';
import { api, call, messageOf, type Schemas } from '../../api/client';
import { ActionButton, CopyButton, SecretOnce } from '../../components/action';
import { Notice } from '../../components/notice';
import { Empty, Page } from '../../components/page';
import { Pager, usePager } from '../../components/pager';
import { SearchField } from '../../components/search-field';
import { StatusBadge } from '../../components/status';
import { Time } from '../../components/time';
import { useLoad } from '../../components/use-load';

type Status = 'active' | 'revoked' | 'expired';
type Created = Schemas['LongLivedTokenWithSecretDto'];

export default function LongLivedTokensPage() {
  const [status, setStatus] = useState<Status | ''>('');
  const [q, setQ] = useState('');
  const pager = usePager(`${status}:${q}`);
  const list = useLoad(
    () =>
      call(
        api.GET('/api/long-lived-tokens', {
          params: {
            query: {
              limit: 25,
              cursor: pager.cursor,
              status: status || undefined,
              q: q.trim() || undefined,
            },
          },
        }),
      ),
    `${status}:${q}:${pager.cursor}`,
  );
  const [created, setCreated] = useState<Created | null>(null);

  return (
    <Page
      title="Long-lived tokens"
      intro="Read-only tokens with a single scope, pasted once into a kiosk or a home-automation card. They always expire."
    >
      <CreateLongLived
        onCreated={(token) => {
          setCreated(token);
          list.reload();
        }}
      />
      {created && (
        <SecretOnce title={`New token “${created.name}”`} value={created.access_token}>
          {created.scope === 'camera.stream' && <CameraSnippets token={created.access_token} />}
        </SecretOnce>
      )}
      <h2>Your long-lived tokens</h2>
      <div className="filters">
        <div>
          <label htmlFor="ll-status">Status</label>
          <select
            id="ll-status"
            value={status}
            onChange={(event) => setStatus(event.target.value as Status | '')}
          >
            <option value="">Any</option>
            <option value="active">Active</option>
            <option value="revoked">Revoked</option>
            <option value="expired">Expired</option>
          </select>
        </div>
        <SearchField id="ll-q" label="Name or prefix" value={q} onChange={setQ} />
      </div>
      {list.error && <Notice kind="error">{list.error}</Notice>}
      {list.loading && !list.data ? (
        <p className="loading">Loading tokens…</p>
      ) : list.data?.items.length === 0 ? (
        <Empty>
          {status || q.trim()
            ? 'No token matches these filters.'
            : 'No long-lived tokens yet. Create one above.'}
        </Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Token</th>
                <th scope="col">Scope</th>
                <th scope="col">Status</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data?.items.map((token) => (
                <tr key={token.id}>
                  <td>{token.name}</td>
                  <td>
                    <code>pgl_{token.prefix}…</code>
                  </td>
                  <td>
                    <code>{token.scope}</code>
                  </td>
                  <td>
                    <StatusBadge status={token.status} />
                  </td>
                  <td>
                    <Time iso={token.expires_at} />
                  </td>
                  <td>
                    <Time iso={token.last_used_at} />
                    {token.last_used_ip && (
                      <span className="muted"> from {token.last_used_ip}</span>
                    )}
                  </td>
                  <td>
                    {token.status === 'active' && (
                      <ActionButton
                        label="Revoke"
                        busyLabel="Revoking…"
                        kind="danger"
                        ariaLabel={`Revoke ${token.name}`}
                        confirm={{
                          title: `Revoke “${token.name}”?`,
                          body: 'Whatever shows this token stops working at once. This cannot be undone.',
                          confirm: 'Revoke token',
                        }}
                        action={async () => {
                          await call(
                            api.DELETE('/api/long-lived-tokens/{id}', {
                              params: { path: { id: token.id } },
                            }),
                          );
                          list.reload();
                        }}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager pager={pager} nextCursor={list.data?.next_cursor} />
    </Page>
  );
}

function CreateLongLived({ onCreated }: { onCreated: (token: Created) => void }) {
  const options = useLoad(() => call(api.GET('/api/long-lived-tokens/options')), 'options');
  const [name, setName] = useState('');
  const [scope, setScope] = useState('');
  const [days, setDays] = useState('30');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const chosen = scope || options.data?.default_scope || options.data?.scopes[0]?.name || '';

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) return setError('Give the token a name, such as where it will be pasted.');
    setBusy(true);
    setError(null);
    try {
      const token = await call(
        api.POST('/api/long-lived-tokens', {
          body: { name: name.trim(), scope: chosen, expires_in_days: Number(days) },
        }),
      );
      setName('');
      onCreated(token);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="ll-create">
      <h2 id="ll-create">Create a long-lived token</h2>
      {options.error && <Notice kind="error">{options.error}</Notice>}
      {options.data && options.data.scopes.length === 0 ? (
        <Empty>No scope is registered for long-lived tokens on this server.</Empty>
      ) : (
        <form onSubmit={(event) => void submit(event)} noValidate>
          {error && <Notice kind="error">{error}</Notice>}
          <label htmlFor="ll-name">Name</label>
          <input
            id="ll-name"
            type="text"
            maxLength={100}
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
          <label htmlFor="ll-scope">Scope</label>
          <select id="ll-scope" value={chosen} onChange={(event) => setScope(event.target.value)}>
            {options.data?.scopes.map((s) => (
              <option key={s.name} value={s.name}>
                {s.description} ({s.name})
              </option>
            ))}
          </select>
          <label htmlFor="ll-days">Lifetime in days</label>
          <input
            id="ll-days"
            type="number"
            min={1}
            max={options.data?.max_days}
            value={days}
            aria-describedby="ll-days-help"
            onChange={(event) => setDays(event.target.value)}
          />
          <p id="ll-days-help" className="muted">
            From 1 to {options.data?.max_days ?? '…'} days.
          </p>
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              {busy ? 'Creating…' : 'Create token'}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

/** Ready-made <img src> lines for the example cameras: a token in the URL, since an image cannot send headers. */
function CameraSnippets({ token }: { token: string }) {
  const cameras = useLoad(() => call(api.GET('/api/cameras')), 'cameras');
  if (cameras.error) return <Notice kind="error">{cameras.error}</Notice>;
  if (!cameras.data) return <p className="loading">Loading cameras…</p>;
  return (
    <>
      <h4>For an &lt;img src&gt;</h4>
      <ul className="snippets">
        {cameras.data.map((camera) => {
          const url = new URL(camera.stream_url, window.location.origin);
          url.searchParams.set('access_token', token);
          const html = `<img src="${url.toString()}" alt="${camera.name}">`;
          return (
            <li key={camera.id}>
              {camera.name}: <code className="token">{html}</code>{' '}
              <CopyButton value={html} label={`Copy ${camera.name}`} />
            </li>
          );
        })}
      </ul>
    </>
  );
}
