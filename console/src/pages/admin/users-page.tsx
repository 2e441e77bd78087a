import { useState, type FormEvent } from 'react';
import { api, call, messageOf, type Schemas } from '../../api/client';
import { useMe } from '../../auth';
import { ActionButton } from '../../components/action';
import { Notice } from '../../components/notice';
import { Empty, Page } from '../../components/page';
import { Pager, usePager } from '../../components/pager';
import { SearchField } from '../../components/search-field';
import { Time } from '../../components/time';
import { useLoad } from '../../components/use-load';

type User = Schemas['UserDto'];

export default function AdminUsersPage() {
  const [q, setQ] = useState('');
  const [role, setRole] = useState<'' | 'admin' | 'user'>('');
  const key = `${q}:${role}`;
  const pager = usePager(key);
  const list = useLoad(
    () =>
      call(
        api.GET('/api/admin/users', {
          params: {
            query: { limit: 25, cursor: pager.cursor, q: q || undefined, role: role || undefined },
          },
        }),
      ),
    `${key}:${pager.cursor}`,
  );
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <Page title="Users">
      <CreateUser
        onCreated={(user) => {
          setNotice(`User “${user.username}” created.`);
          list.reload();
        }}
      />
      {notice && <Notice kind="success">{notice}</Notice>}
      <h2>All users</h2>
      <div className="filters">
        <SearchField id="user-q" label="Username or email" value={q} onChange={setQ} />
        <div>
          <label htmlFor="user-role">Role</label>
          <select
            id="user-role"
            value={role}
            onChange={(event) => setRole(event.target.value as typeof role)}
          >
            <option value="">Any</option>
            <option value="admin">Admin</option>
            <option value="user">User</option>
          </select>
        </div>
      </div>
      {list.error && <Notice kind="error">{list.error}</Notice>}
      {list.loading && !list.data ? (
        <p className="loading">Loading users…</p>
      ) : list.data?.items.length === 0 ? (
        <Empty>No user matches these filters.</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Username</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">State</th>
                <th scope="col">Created</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data?.items.map((user) => (
                <UserRow key={user.id} user={user} changed={list.reload} onDone={setNotice} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager pager={pager} nextCursor={list.data?.next_cursor} />
    </Page>
  );
}

function UserRow({
  user,
  changed,
  onDone,
}: {
  user: User;
  changed: () => void;
  onDone: (text: string) => void;
}) {
  const me = useMe();
  const path = { params: { path: { id: user.id } } };
  const self = user.id === me.id;
  const other = user.role === 'admin' ? 'user' : 'admin';
  return (
    <tr>
      <td>{user.username}</td>
      <td>{user.email ?? <span className="muted">none</span>}</td>
      <td>{user.role}</td>
      <td>
        {user.disabled_at ? (
          <span className="badge bad">disabled</span>
        ) : (
          <span className="badge ok">enabled</span>
        )}
      </td>
      <td>
        <Time iso={user.created_at} />
      </td>
      <td>
        {self ? (
          <span className="muted">you</span>
        ) : (
          <>
            <ActionButton
              label={other === 'admin' ? 'Make admin' : 'Make user'}
              busyLabel="Changing…"
              ariaLabel={`${other === 'admin' ? 'Make admin' : 'Make user'}: ${user.username}`}
              confirm={{
                title: `Make ${user.username} ${other === 'admin' ? 'an admin' : 'a user'}?`,
                body:
                  other === 'admin'
                    ? 'They can then see and revoke everything and read the audit log.'
                    : 'Their tokens lose the admin scopes at once.',
                confirm: other === 'admin' ? 'Make admin' : 'Make user',
              }}
              action={async () => {
                await call(api.PATCH('/api/admin/users/{id}', { ...path, body: { role: other } }));
                onDone(`${user.username} is now ${other === 'admin' ? 'an admin' : 'a user'}.`);
                changed();
              }}
            />{' '}
            <ActionButton
              label={user.disabled_at ? 'Enable' : 'Disable'}
              busyLabel={user.disabled_at ? 'Enabling…' : 'Disabling…'}
              kind={user.disabled_at ? 'plain' : 'danger'}
              ariaLabel={`${user.disabled_at ? 'Enable' : 'Disable'} ${user.username}`}
              confirm={
                user.disabled_at
                  ? undefined
                  : {
                      title: `Disable ${user.username}?`,
                      body: 'Every session and token of theirs stops working at once, until you enable them again.',
                      confirm: 'Disable user',
                    }
              }
              action={async () => {
                await call(
                  api.PATCH('/api/admin/users/{id}', {
                    ...path,
                    body: { disabled: !user.disabled_at },
                  }),
                );
                onDone(`${user.username} is ${user.disabled_at ? 'enabled' : 'disabled'}.`);
                changed();
              }}
            />{' '}
            <ActionButton
              label="Revoke everything"
              busyLabel="Revoking…"
              kind="danger"
              ariaLabel={`Revoke everything of ${user.username}`}
              confirm={{
                title: `Revoke everything of ${user.username}?`,
                body: 'Every login session, client token and long-lived token of theirs stops working at once.',
                confirm: 'Revoke everything',
              }}
              action={async () => {
                await call(api.POST('/api/admin/users/{id}/revoke-tokens', path));
                onDone(`Every session and token of ${user.username} is revoked.`);
              }}
            />
          </>
        )}
      </td>
    </tr>
  );
}

function CreateUser({ onCreated }: { onCreated: (user: User) => void }) {
  const [form, setForm] = useState({
    username: '',
    email: '',
    password: '',
    role: 'user' as 'admin' | 'user',
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { email, ...rest } = form;
      const user = await call(
        api.POST('/api/admin/users', { body: email ? { ...rest, email } : rest }),
      );
      setForm({ username: '', email: '', password: '', role: 'user' });
      onCreated(user);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="new-user">
      <h2 id="new-user">Create a user</h2>
      <form onSubmit={(event) => void submit(event)} noValidate>
        {error && <Notice kind="error">{error}</Notice>}
        <label htmlFor="new-username">Username</label>
        <input
          id="new-username"
          type="text"
          autoComplete="off"
          value={form.username}
          onChange={(e) => setForm({ ...form, username: e.target.value })}
        />
        <label htmlFor="new-email">Email (optional)</label>
        <input
          id="new-email"
          type="email"
          autoComplete="off"
          value={form.email}
          onChange={(e) => setForm({ ...form, email: e.target.value })}
        />
        <label htmlFor="new-password">Initial password</label>
        <input
          id="new-password"
          type="password"
          autoComplete="new-password"
          value={form.password}
          aria-describedby="new-password-help"
          onChange={(e) => setForm({ ...form, password: e.target.value })}
        />
        <p id="new-password-help" className="muted">
          At least 8 characters. Give it to them privately; they can change it under Password.
        </p>
        <label htmlFor="new-role">Role</label>
        <select
          id="new-role"
          value={form.role}
          onChange={(e) => setForm({ ...form, role: e.target.value as 'admin' | 'user' })}
        >
          <option value="user">User</option>
          <option value="admin">Admin</option>
        </select>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create user'}
          </button>
        </div>
      </form>
    </section>
  );
}
