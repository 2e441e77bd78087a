import { useState } from 'react';
import { api, call } from '../../api/client';
import { ActionButton } from '../../components/action';
import { Notice } from '../../components/notice';
import { Empty, Page } from '../../components/page';
import { Pager, usePager } from '../../components/pager';
import { SearchField } from '../../components/search-field';
import { Time } from '../../components/time';
import { useLoad } from '../../components/use-load';

export default function AdminDevicesPage() {
  const [q, setQ] = useState('');
  const pager = usePager(q);
  const list = useLoad(
    () =>
      call(
        api.GET('/api/admin/devices', {
          params: { query: { limit: 25, cursor: pager.cursor, q: q || undefined } },
        }),
      ),
    `${q}:${pager.cursor}`,
  );
  return (
    <Page title="All devices">
      <div className="filters">
        <SearchField id="device-q" label="Name or identifier" value={q} onChange={setQ} />
      </div>
      {list.error && <Notice kind="error">{list.error}</Notice>}
      {list.loading && !list.data ? (
        <p className="loading">Loading devices…</p>
      ) : list.data?.items.length === 0 ? (
        <Empty>{q ? 'No device matches this filter.' : 'No device has been paired yet.'}</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Owner</th>
                <th scope="col">Name</th>
                <th scope="col">App and platform</th>
                <th scope="col">Identifier</th>
                <th scope="col">Last seen</th>
                <th scope="col">Active tokens</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data?.items.map((device) => (
                <tr key={device.id}>
                  <td>{device.username}</td>
                  <td>{device.name}</td>
                  <td>
                    {[device.client, device.platform, device.client_version]
                      .filter(Boolean)
                      .join(', ') || '—'}
                  </td>
                  <td>
                    <code>{device.client_device_identifier}</code>
                  </td>
                  <td>
                    <Time iso={device.last_seen_at} />
                  </td>
                  <td>{device.active_tokens}</td>
                  <td>
                    <ActionButton
                      label="Forget"
                      busyLabel="Forgetting…"
                      kind="danger"
                      ariaLabel={`Forget ${device.username}'s ${device.name}`}
                      confirm={{
                        title: `Forget ${device.username}'s “${device.name}”?`,
                        body: 'Every token bound to it stops working at once.',
                        confirm: 'Forget device',
                      }}
                      action={async () => {
                        await call(
                          api.DELETE('/api/admin/devices/{id}', {
                            params: { path: { id: device.id } },
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
