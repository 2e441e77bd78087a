import { useState, type FormEvent } from 'react';
import { api, call, messageOf, type Schemas } from '../../api/client';
import { ActionButton, SecretOnce } from '../../components/action';
import { Notice } from '../../components/notice';
import { Empty, Page } from '../../components/page';
import { Pager, usePager } from '../../components/pager';
import { SearchField } from '../../components/search-field';
import { ScopePicker } from '../../components/scope-picker';
import { Time } from '../../components/time';
import { useLoad } from '../../components/use-load';

type Client = Schemas['OAuthClientDto'];

export default function AdminOAuthClientsPage() {
  const [q, setQ] = useState('');
  const pager = usePager(q);
  const list = useLoad(
    () =>
      call(
        api.GET('/api/admin/oauth-clients', {
          params: { query: { limit: 25, cursor: pager.cursor, q: q.trim() || undefined } },
        }),
      ),
    `clients:${q}:${pager.cursor}`,
  );
  const [secret, setSecret] = useState<{ clientId: string; title: string; value: string } | null>(
    null,
  );
  const [notice, setNotice] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const items = list.data?.items ?? [];

  return (
    <Page
      title="OAuth clients"
      intro="Registered apps are shown as registered on the pairing page and may ask only for their allowed scopes."
    >
      <CreateClient
        onCreated={(client) => {
          setNotice(null);
          if (client.client_secret)
            setSecret({
              clientId: client.client_id,
              title: `Secret of “${client.display_name}”`,
              value: client.client_secret,
            });
          list.reload();
        }}
      />
      {secret && <SecretOnce title={secret.title} value={secret.value} />}
      {notice && <Notice kind="success">{notice}</Notice>}
      <h2>Registered clients</h2>
      <div className="filters">
        <SearchField id="client-q" label="Client id or name" value={q} onChange={setQ} />
      </div>
      {list.error && <Notice kind="error">{list.error}</Notice>}
      {list.loading && !list.data ? (
        <p className="loading">Loading clients…</p>
      ) : items.length === 0 ? (
        <Empty>
          {q.trim() ? 'No client matches this search.' : 'No client is registered yet.'}
        </Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Client id</th>
                <th scope="col">Name</th>
                <th scope="col">Allowed scopes</th>
                <th scope="col">Type</th>
                <th scope="col">Updated</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {items.map((client) => (
                <tr key={client.client_id}>
                  <td>
                    <code>{client.client_id}</code>
                  </td>
                  <td>{client.display_name}</td>
                  <td>
                    {editing === client.client_id ? (
                      <EditScopes
                        client={client}
                        onDone={() => {
                          setEditing(null);
                          list.reload();
                        }}
                      />
                    ) : (
                      client.allowed_scopes.join(', ')
                    )}
                  </td>
                  <td>
                    {client.confidential ? 'confidential' : 'public'}
                    {client.may_introspect ? ', may introspect' : ''}
                  </td>
                  <td>
                    <Time iso={client.updated_at} />
                  </td>
                  <td>
                    {editing !== client.client_id && (
                      <button
                        type="button"
                        aria-label={`Edit scopes of ${client.client_id}`}
                        onClick={() => setEditing(client.client_id)}
                      >
                        Edit scopes
                      </button>
                    )}{' '}
                    <ActionButton
                      label="New secret"
                      busyLabel="Issuing…"
                      ariaLabel={`New secret for ${client.client_id}`}
                      confirm={{
                        title: `Give “${client.client_id}” a new secret?`,
                        body: client.confidential
                          ? 'Its current secret stops working at once: its devices cannot pair or get tokens until the app is given the new one, shown here once.'
                          : 'This public client becomes confidential: from now on its devices must present the secret, shown here once, or they cannot pair or get tokens.',
                        confirm: 'Issue new secret',
                      }}
                      action={async () => {
                        const updated = await call(
                          api.POST('/api/admin/oauth-clients/{client_id}/secret', {
                            params: { path: { client_id: client.client_id } },
                          }),
                        );
                        setNotice(null);
                        if (updated.client_secret)
                          setSecret({
                            clientId: updated.client_id,
                            title: `New secret of “${updated.display_name}”`,
                            value: updated.client_secret,
                          });
                        list.reload();
                      }}
                    />{' '}
                    {client.confidential && (
                      <>
                        <ActionButton
                          label="Make public"
                          busyLabel="Making public…"
                          kind="danger"
                          ariaLabel={`Make public: ${client.client_id}`}
                          confirm={{
                            title: `Make “${client.client_id}” a public client?`,
                            body: `Its secret stops working and is no longer asked for, and its requests are no longer shown as verified on the pairing page.${client.may_introspect ? ' It can no longer call /oauth/introspect.' : ''}`,
                            confirm: 'Make public',
                          }}
                          action={async () => {
                            await call(
                              api.DELETE('/api/admin/oauth-clients/{client_id}/secret', {
                                params: { path: { client_id: client.client_id } },
                              }),
                            );
                            // A secret still on screen for this client no longer works.
                            setSecret((shown) =>
                              shown?.clientId === client.client_id ? null : shown,
                            );
                            setNotice(`“${client.client_id}” is now a public client.`);
                            list.reload();
                          }}
                        />{' '}
                      </>
                    )}
                    <ActionButton
                      label="Delete"
                      busyLabel="Deleting…"
                      kind="danger"
                      ariaLabel={`Delete ${client.client_id}`}
                      confirm={{
                        title: `Delete the client “${client.client_id}”?`,
                        body: 'Devices using this client id are shown as unregistered from now on. Tokens already issued keep working.',
                        confirm: 'Delete client',
                      }}
                      action={async () => {
                        await call(
                          api.DELETE('/api/admin/oauth-clients/{client_id}', {
                            params: { path: { client_id: client.client_id } },
                          }),
                        );
                        list.reload();
                      }}
                    />
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

function EditScopes({ client, onDone }: { client: Client; onDone: () => void }) {
  const [scopes, setScopes] = useState(client.allowed_scopes);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function save(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await call(
        api.PATCH('/api/admin/oauth-clients/{client_id}', {
          params: { path: { client_id: client.client_id } },
          body: { allowed_scopes: scopes },
        }),
      );
      onDone();
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  }
  return (
    <form onSubmit={(event) => void save(event)}>
      <ScopePicker
        legend={`Allowed scopes of ${client.client_id}`}
        value={scopes}
        onChange={setScopes}
      />
      {error && <Notice kind="error">{error}</Notice>}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save scopes'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function CreateClient({
  onCreated,
}: {
  onCreated: (client: Schemas['OAuthClientWithSecretDto']) => void;
}) {
  const [clientId, setClientId] = useState('');
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>([]);
  const [confidential, setConfidential] = useState(false);
  const [mayIntrospect, setMayIntrospect] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) return setError('Give the client a display name.');
    if (scopes.length === 0) return setError('Allow at least one scope.');
    setBusy(true);
    setError(null);
    try {
      const body: Schemas['CreateOAuthClientDto'] = {
        display_name: name.trim(),
        allowed_scopes: scopes,
        confidential,
        may_introspect: confidential && mayIntrospect,
      };
      if (clientId.trim()) body.client_id = clientId.trim();
      const created = await call(api.POST('/api/admin/oauth-clients', { body }));
      setClientId('');
      setName('');
      setScopes([]);
      setConfidential(false);
      setMayIntrospect(false);
      onCreated(created);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="new-client">
      <h2 id="new-client">Register a client</h2>
      <form onSubmit={(event) => void submit(event)} noValidate>
        {error && <Notice kind="error">{error}</Notice>}
        <label htmlFor="client-id">Client id (optional)</label>
        <input
          id="client-id"
          type="text"
          value={clientId}
          aria-describedby="client-id-help"
          onChange={(e) => setClientId(e.target.value)}
        />
        <p id="client-id-help" className="muted">
          What devices send as client_id; generated when left empty.
        </p>
        <label htmlFor="client-name">Display name</label>
        <input
          id="client-name"
          type="text"
          maxLength={100}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <ScopePicker legend="Allowed scopes" value={scopes} onChange={setScopes} />
        <div className="check">
          <input
            id="client-confidential"
            type="checkbox"
            checked={confidential}
            onChange={(e) => setConfidential(e.target.checked)}
          />
          <label htmlFor="client-confidential">
            Confidential: give it a secret it must present
          </label>
        </div>
        <div className="check">
          <input
            id="client-introspect"
            type="checkbox"
            checked={confidential && mayIntrospect}
            disabled={!confidential}
            aria-describedby="client-introspect-help"
            onChange={(e) => setMayIntrospect(e.target.checked)}
          />
          <label htmlFor="client-introspect">May introspect tokens</label>
        </div>
        <p id="client-introspect-help" className="muted">
          For a service behind pairgate that asks /oauth/introspect whether a token is live; only a
          confidential client can.
        </p>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Registering…' : 'Register client'}
          </button>
        </div>
      </form>
    </section>
  );
}
