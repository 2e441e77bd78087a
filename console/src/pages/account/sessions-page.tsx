import { useState } from 'react';
import { api, call } from '../../api/client';
import { ActionButton } from '../../components/action';
import { Notice } from '../../components/notice';
import { Empty, Page } from '../../components/page';
import { Pager, usePager } from '../../components/pager';
import { SearchField } from '../../components/search-field';
import { Time } from '../../components/time';
import { useLoad } from '../../components/use-load';

/** Where you are signed in; end any sign-in you do not recognise. */
export default function SessionsPage() {
  const [q, setQ] = useState('');
  const pager = usePager(`sessions:${q}`);
  const list = useLoad(
    () =>
      call(
        api.GET('/api/users/me/sessions', {
          params: { query: { limit: 25, cursor: pager.cursor, q: q.trim() || undefined } },
        }),
      ),
    `sessions:${q}:${pager.cursor}`,
  );
  return (
    <Page
      title="Sessions"
      intro="Where your account is signed in. Sign out of any you do not recognise."
    >
      <div className="filters">
        <SearchField id="session-q" label="Browser or address" value={q} onChange={setQ} />
      </div>
      {list.error && <Notice kind="error">{list.error}</Notice>}
      {list.loading && !list.data ? (
        <p className="loading">Loading sessions…</p>
      ) : list.data?.items.length === 0 ? (
        <Empty>{q.trim() ? 'No session matches this search.' : 'No other sessions.'}</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Browser or program</th>
                <th scope="col">Signed in</th>
                <th scope="col">Last used</th>
                <th scope="col">Expires</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data?.items.map((s) => (
                <tr key={s.id}>
                  <td>
                    {s.user_agent ?? <span className="muted">unknown</span>}{' '}
                    <code className="muted">pgs_{s.prefix}…</code>
                  </td>
                  <td>
                    <Time iso={s.created_at} />
                  </td>
                  <td>
                    <Time iso={s.last_used_at} />
                    {s.last_used_ip && <span className="muted"> from {s.last_used_ip}</span>}
                  </td>
                  <td>
                    <Time iso={s.expires_at} />
                  </td>
                  <td>
                    {s.current ? (
                      <span className="badge ok">this session</span>
                    ) : (
                      <ActionButton
                        label="Sign out"
                        busyLabel="Signing out…"
                        kind="danger"
                        ariaLabel={`Sign out the session pgs_${s.prefix}`}
                        confirm={{
                          title: 'Sign out this session?',
                          body: 'Whoever uses it is signed out at once.',
                          confirm: 'Sign out session',
                        }}
                        action={async () => {
                          await call(
                            api.DELETE('/api/users/me/sessions/{id}', {
                              params: { path: { id: s.id } },
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
