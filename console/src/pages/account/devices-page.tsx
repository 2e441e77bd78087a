import { useState } from 'react';
import { Link } from 'react-router';
import { api, call } from '../../api/client';
import { ActionButton } from '../../components/action';
import { Notice } from '../../components/notice';
import { Empty, Page } from '../../components/page';
import { Pager, usePager } from '../../components/pager';
import { SearchField } from '../../components/search-field';
import { RenameAction } from '../../components/rename';
import { Time } from '../../components/time';
import { useLoad } from '../../components/use-load';

export default function DevicesPage() {
  const [q, setQ] = useState('');
  const pager = usePager(q);
  const list = useLoad(
    () =>
      call(
        api.GET('/api/devices', {
          params: { query: { limit: 25, cursor: pager.cursor, q: q.trim() || undefined } },
        }),
      ),
    `devices:${q}:${pager.cursor}`,
  );
  const items = list.data?.items ?? [];
  return (
    <Page
      title="Devices"
      intro="The devices paired with your account. Forgetting one revokes every token bound to it."
    >
      <div className="filters">
        <SearchField id="device-q" label="Name or identifier" value={q} onChange={setQ} />
      </div>
      {list.error && <Notice kind="error">{list.error}</Notice>}
      {list.loading && !list.data ? (
        <p className="loading">Loading devices…</p>
      ) : items.length === 0 ? (
        <Empty>
          {q.trim()
            ? 'No device matches this search.'
            : 'No devices yet. Pair one from its pairing screen at /pair/device.'}
        </Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">App and platform</th>
                <th scope="col">Identifier</th>
                <th scope="col">Last seen</th>
                <th scope="col">Bound tokens</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {items.map((device) => (
                <tr key={device.id}>
                  <td>{device.name}</td>
                  <td>
                    {[
                      device.client,
                      device.platform,
                      device.client_version && `version ${device.client_version}`,
                    ]
                      .filter(Boolean)
                      .join(', ') || <span className="muted">not given</span>}
                  </td>
                  <td>
                    <code>{device.client_device_identifier}</code>
                  </td>
                  <td>
                    <Time iso={device.last_seen_at} />
                  </td>
                  <td>
                    <Link to={`/account/tokens?device_id=${device.id}`}>
                      {device.active_tokens} active{' '}
                      {device.active_tokens === 1 ? 'token' : 'tokens'}
                    </Link>
                  </td>
                  <td>
                    <RenameAction
                      current={device.name}
                      what={device.name}
                      save={async (name) => {
                        await call(
                          api.PATCH('/api/devices/{id}', {
                            params: { path: { id: device.id } },
                            body: { name },
                          }),
                        );
                        list.reload();
                      }}
                    />{' '}
                    <ActionButton
                      label="Forget"
                      busyLabel="Forgetting…"
                      kind="danger"
                      ariaLabel={`Forget ${device.name}`}
                      confirm={{
                        title: `Forget ${device.name}?`,
                        body: `Its ${device.active_tokens} active token(s) stop working at once. Pairing it again creates a new record.`,
                        confirm: 'Forget device',
                      }}
                      action={async () => {
                        await call(
                          api.DELETE('/api/devices/{id}', { params: { path: { id: device.id } } }),
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
