import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, call, messageOf, type Schemas } from '../../api/client';
import { ActionButton, SecretOnce } from '../../components/action';
import { Countdown } from '../../components/countdown';
import { Notice } from '../../components/notice';
import { Empty, Page } from '../../components/page';
import { Pager, usePager } from '../../components/pager';
import { SearchField } from '../../components/search-field';
import { RenameAction } from '../../components/rename';
import { StatusBadge } from '../../components/status';
import { Time } from '../../components/time';
import { useLoad } from '../../components/use-load';

type Status = 'active' | 'revoked' | 'expired';
type Token = Schemas['ClientTokenDto'];

const EXPIRY = [
  ['', 'Never'],
  ['7', '7 days'],
  ['30', '30 days'],
  ['90', '90 days'],
  ['365', '1 year'],
] as const;

export default function ClientTokensPage() {
  const [params, setParams] = useSearchParams();
  const status = (params.get('status') ?? '') as Status | '';
  const deviceId = params.get('device_id') ?? undefined;
  const [q, setQ] = useState('');
  const filterKey = `${status}:${deviceId ?? ''}:${q}`;
  const pager = usePager(filterKey);
  const list = useLoad(
    () =>
      call(
        api.GET('/api/client-tokens', {
          params: {
            query: {
              limit: 25,
              cursor: pager.cursor,
              status: status || undefined,
              device_id: deviceId,
              q: q.trim() || undefined,
            },
          },
        }),
      ),
    `${filterKey}:${pager.cursor}`,
  );
  const [secret, setSecret] = useState<{ title: string; value: string } | null>(null);
  const [pairing, setPairing] = useState<{ name: string; code: string; until: number } | null>(
    null,
  );

  function setFilter(name: string, value: string) {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next);
  }

  return (
    <Page
      title="Client tokens"
      intro="Personal access tokens for scripts, apps and devices. Each has its own scopes, expiry and revocation."
    >
      <CreateToken
        onCreated={(token) => {
          setSecret({ title: `New token “${token.name}”`, value: token.access_token });
          list.reload();
        }}
      />
      {secret && <SecretOnce title={secret.title} value={secret.value} />}
      {pairing && (
        <section aria-labelledby="pair-title" className="secret">
          <h3 id="pair-title">Pairing code for “{pairing.name}”</h3>
          <p>
            Type it on the device: <strong className="big-code">{pairing.code}</strong>
          </p>
          <p>
            <Countdown until={pairing.until} expired="This code has expired: get a new one." />
          </p>
        </section>
      )}
      <h2>Your tokens</h2>
      <div className="filters">
        <div>
          <label htmlFor="status-filter">Status</label>
          <select
            id="status-filter"
            value={status}
            onChange={(event) => setFilter('status', event.target.value)}
          >
            <option value="">Any</option>
            <option value="active">Active</option>
            <option value="revoked">Revoked</option>
            <option value="expired">Expired</option>
          </select>
        </div>
        <SearchField id="token-q" label="Name or prefix" value={q} onChange={setQ} />
        {deviceId && (
          <p>
            Only tokens bound to one device. <Link to="/account/tokens">Show all</Link>
          </p>
        )}
      </div>
      {list.error && <Notice kind="error">{list.error}</Notice>}
      {list.loading && !list.data ? (
        <p className="loading">Loading tokens…</p>
      ) : list.data?.items.length === 0 ? (
        <Empty>
          {status || deviceId || q.trim()
            ? 'No token matches these filters.'
            : 'No client tokens yet. Create one above.'}
        </Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Token</th>
                <th scope="col">Scopes</th>
                <th scope="col">Device</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data?.items.map((token) => (
                <TokenRow
                  key={token.id}
                  token={token}
                  changed={list.reload}
                  onSecret={(value) =>
                    setSecret({ title: `New secret for “${token.name}”`, value })
                  }
                  onPairCode={(code, seconds) =>
                    setPairing({ name: token.name, code, until: Date.now() + seconds * 1000 })
                  }
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager pager={pager} nextCursor={list.data?.next_cursor} />
    </Page>
  );
}

function TokenRow({
  token,
  changed,
  onSecret,
  onPairCode,
}: {
  token: Token;
  changed: () => void;
  onSecret: (value: string) => void;
  onPairCode: (code: string, seconds: number) => void;
}) {
  const path = { params: { path: { id: token.id } } };
  const device = token.device as Schemas['BoundDeviceDto'] | null;
  return (
    <tr>
      <td>{token.name}</td>
      <td>
        <code>pgc_{token.prefix}…</code>
      </td>
      <td>{token.scopes.join(', ')}</td>
      <td>{device ? device.name : <span className="muted">none</span>}</td>
      <td>
        <StatusBadge status={token.status} />
      </td>
      <td>
        <Time iso={token.created_at} />
      </td>
      <td>
        <Time iso={token.expires_at} never="never" />
      </td>
      <td>
        <Time iso={token.last_used_at} />
        {token.last_used_ip && <span className="muted"> from {token.last_used_ip}</span>}
      </td>
      <td>
        {token.status === 'active' && (
          <>
            <RenameAction
              current={token.name}
              what={token.name}
              save={async (name) => {
                await call(api.PATCH('/api/client-tokens/{id}', { ...path, body: { name } }));
                changed();
              }}
            />{' '}
            <ActionButton
              label="Pair code"
              busyLabel="Getting a code…"
              ariaLabel={`Pair code for ${token.name}`}
              action={async () => {
                const code = await call(api.POST('/api/client-tokens/{id}/pair', path));
                onPairCode(code.code, code.expires_in);
              }}
            />{' '}
            <ActionButton
              label="Rotate"
              busyLabel="Rotating…"
              ariaLabel={`Rotate ${token.name}`}
              confirm={{
                title: `Rotate “${token.name}”?`,
                body: 'A new secret replaces the current one, which stops working at once.',
                confirm: 'Rotate token',
              }}
              action={async () => {
                const rotated = await call(api.POST('/api/client-tokens/{id}/rotate', path));
                onSecret(rotated.access_token);
                changed();
              }}
            />{' '}
            <ActionButton
              label="Revoke"
              busyLabel="Revoking…"
              kind="danger"
              ariaLabel={`Revoke ${token.name}`}
              confirm={{
                title: `Revoke “${token.name}”?`,
                body: 'Anything using this token loses access at once. This cannot be undone.',
                confirm: 'Revoke token',
              }}
              action={async () => {
                await call(api.DELETE('/api/client-tokens/{id}', path));
                changed();
              }}
            />
          </>
        )}
      </td>
    </tr>
  );
}

function CreateToken({
  onCreated,
}: {
  onCreated: (token: Schemas['ClientTokenWithSecretDto']) => void;
}) {
  const options = useLoad(() => call(api.GET('/api/client-tokens/options')), 'options');
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>([]);
  const [expiry, setExpiry] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) return setError('Give the token a name, such as where it will be used.');
    if (scopes.length === 0) return setError('Pick at least one scope.');
    setBusy(true);
    setError(null);
    try {
      const body: Schemas['CreateClientTokenDto'] = { name: name.trim(), scopes };
      if (expiry) body.expires_in_days = Number(expiry);
      const created = await call(api.POST('/api/client-tokens', { body }));
      setName('');
      setScopes([]);
      setExpiry('');
      onCreated(created);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="create-title">
      <h2 id="create-title">Create a token</h2>
      <form onSubmit={(event) => void submit(event)} noValidate>
        {error && <Notice kind="error">{error}</Notice>}
        <label htmlFor="token-name">Name</label>
        <input
          id="token-name"
          type="text"
          maxLength={100}
          value={name}
          onChange={(event) => setName(event.target.value)}
        />
        <fieldset>
          <legend>Scopes</legend>
          {options.error && <Notice kind="error">{options.error}</Notice>}
          {options.data?.scopes.map((scope) => (
            <div className="check" key={scope.name}>
              <input
                type="checkbox"
                id={`new-scope-${scope.name}`}
                checked={scopes.includes(scope.name)}
                onChange={(event) =>
                  setScopes((now) =>
                    event.target.checked
                      ? [...now, scope.name]
                      : now.filter((s) => s !== scope.name),
                  )
                }
              />
              <label htmlFor={`new-scope-${scope.name}`}>
                {scope.description} <code>{scope.name}</code>
              </label>
            </div>
          ))}
        </fieldset>
        <label htmlFor="token-expiry">Expires</label>
        <select
          id="token-expiry"
          value={expiry}
          onChange={(event) => setExpiry(event.target.value)}
        >
          {EXPIRY.map(([value, label]) => (
            <option key={value} value={value}>
              {value ? `After ${label}` : label}
            </option>
          ))}
        </select>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create token'}
          </button>
        </div>
      </form>
    </section>
  );
}
