import { useState } from 'react';
import { api, call } from '../../api/client';
import { ActionButton } from '../../components/action';
import { Notice } from '../../components/notice';
import { Empty, Page } from '../../components/page';
import { Pager, usePager } from '../../components/pager';
import { SearchField } from '../../components/search-field';
import { StatusBadge } from '../../components/status';
import { Time } from '../../components/time';
import { useLoad } from '../../components/use-load';

type Kind = 'client' | 'long_lived' | 'session';
type Status = '' | 'active' | 'revoked' | 'expired';

interface Row {
  id: string;
  name: string;
  token: string;
  owner: string;
  scopes: string;
  device: string | null;
  status: 'active' | 'revoked' | 'expired';
  expires_at: string | null;
  last_used_at: string | null;
  last_used_ip: string | null;
}

/** Every user's tokens of every kind: client, long-lived, and live login sessions. */
export default function AdminTokensPage() {
  const [kind, setKind] = useState<Kind>('client');
  const [status, setStatus] = useState<Status>('active');
  const [q, setQ] = useState('');
  const key = `${kind}:${status}:${q}`;
  const pager = usePager(key);
  const list = useLoad(async () => {
    const query = {
      limit: 25,
      cursor: pager.cursor,
      status: status || undefined,
      q: q || undefined,
    };
    if (kind === 'client') {
      const page = await call(api.GET('/api/admin/client-tokens', { params: { query } }));
      return {
        next: page.next_cursor,
        rows: page.items.map((t): Row => ({
          ...t,
          token: `pgc_${t.prefix}…`,
          owner: t.username,
          scopes: t.scopes.join(', '),
          device: (t.device as { name: string } | null)?.name ?? null,
        })),
      };
    }
    if (kind === 'session') {
      // Sessions are listed live only, without a name: the browser stands in for one.
      const page = await call(
        api.GET('/api/admin/sessions', {
          params: { query: { limit: 25, cursor: pager.cursor, q: q || undefined } },
        }),
      );
      return {
        next: page.next_cursor,
        rows: page.items.map((t): Row => ({
          ...t,
          name: t.user_agent ?? 'login session',
          token: `pgs_${t.prefix}…`,
          owner: t.username,
          scopes: 'all of the user’s',
          device: null,
          status: 'active',
        })),
      };
    }
    const page = await call(api.GET('/api/admin/long-lived-tokens', { params: { query } }));
    return {
      next: page.next_cursor,
      rows: page.items.map((t): Row => ({
        ...t,
        token: `pgl_${t.prefix}…`,
        owner: t.username,
        scopes: t.scope,
        device: null,
      })),
    };
  }, `${key}:${pager.cursor}`);

  async function revoke(row: Row) {
    const path = { params: { path: { id: row.id } } };
    if (kind === 'client') await call(api.DELETE('/api/admin/client-tokens/{id}', path));
    else if (kind === 'session') await call(api.DELETE('/api/admin/sessions/{id}', path));
    else await call(api.DELETE('/api/admin/long-lived-tokens/{id}', path));
    list.reload();
  }

  return (
    <Page
      title="Tokens"
      intro="Every user's tokens. Revoking one takes effect on the next request that uses it."
    >
      <div className="filters">
        <div>
          <label htmlFor="kind">Kind</label>
          <select id="kind" value={kind} onChange={(event) => setKind(event.target.value as Kind)}>
            <option value="client">Client tokens</option>
            <option value="long_lived">Long-lived tokens</option>
            <option value="session">Login sessions (live)</option>
          </select>
        </div>
        {kind === 'session' ? (
          <>
            <SearchField id="q" label="Browser or address" value={q} onChange={setQ} />
            <p className="muted">
              Live sessions only; ending one signs that browser or program out.
            </p>
          </>
        ) : (
          <>
            <div>
              <label htmlFor="status">Status</label>
              <select
                id="status"
                value={status}
                onChange={(event) => setStatus(event.target.value as Status)}
              >
                <option value="">Any</option>
                <option value="active">Active</option>
                <option value="revoked">Revoked</option>
                <option value="expired">Expired</option>
              </select>
            </div>
            <SearchField id="q" label="Name or prefix" value={q} onChange={setQ} />
          </>
        )}
      </div>
      {list.error && <Notice kind="error">{list.error}</Notice>}
      {list.loading && !list.data ? (
        <p className="loading">Loading tokens…</p>
      ) : list.data?.rows.length === 0 ? (
        <Empty>No token matches these filters.</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Owner</th>
                <th scope="col">Name</th>
                <th scope="col">Token</th>
                <th scope="col">Scopes</th>
                <th scope="col">Device</th>
                <th scope="col">Status</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data?.rows.map((row) => (
                <tr key={row.id}>
                  <td>{row.owner}</td>
                  <td>{row.name}</td>
                  <td>
                    <code>{row.token}</code>
                  </td>
                  <td>{row.scopes}</td>
                  <td>{row.device ?? <span className="muted">none</span>}</td>
                  <td>
                    <StatusBadge status={row.status} />
                  </td>
                  <td>
                    <Time iso={row.expires_at} />
                  </td>
                  <td>
                    <Time iso={row.last_used_at} />
                    {row.last_used_ip && <span className="muted"> from {row.last_used_ip}</span>}
                  </td>
                  <td>
                    {row.status === 'active' && (
                      <ActionButton
                        label="Revoke"
                        busyLabel="Revoking…"
                        kind="danger"
                        ariaLabel={`Revoke ${row.owner}'s ${row.name}`}
                        confirm={{
                          title: `Revoke ${row.owner}'s “${row.name}”?`,
                          body: 'It stops working at once; the owner sees it as revoked. This cannot be undone.',
                          confirm: 'Revoke token',
                        }}
                        action={() => revoke(row)}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager pager={pager} nextCursor={list.data?.next} />
    </Page>
  );
}
