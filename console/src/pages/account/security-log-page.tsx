import { useState } from 'react';
import { api, call } from '../../api/client';
import { EventDetails } from '../../components/event-details';
import { Notice } from '../../components/notice';
import { Empty, Page } from '../../components/page';
import { Pager, usePager } from '../../components/pager';
import { Time } from '../../components/time';
import { useLoad } from '../../components/use-load';

/** What a person looks for in their own log, as action prefixes the API filters on. */
const AREAS = [
  { value: '', label: 'Everything' },
  { value: 'auth.', label: 'Sign-ins' },
  { value: 'session.', label: 'Sessions' },
  { value: 'client_token.', label: 'Client tokens' },
  { value: 'long_lived_token.', label: 'Long-lived tokens' },
  { value: 'device.', label: 'Devices' },
  { value: 'device_flow.', label: 'Device pairing' },
  { value: 'user.', label: 'Your account' },
  { value: 'token.', label: 'Leaked tokens' },
];

export default function SecurityLogPage() {
  const [outcome, setOutcome] = useState('');
  const [area, setArea] = useState('');
  const key = `${area}|${outcome}`;
  const pager = usePager(key);
  const log = useLoad(
    () =>
      call(
        api.GET('/api/users/me/security-log', {
          params: {
            query: {
              limit: 50,
              cursor: pager.cursor,
              ...(area ? { action: area } : {}),
              ...(outcome ? { outcome: outcome as 'success' | 'failure' | 'denied' } : {}),
            },
          },
        }),
      ),
    `log:${key}:${pager.cursor}`,
  );
  const items = log.data?.items ?? [];
  return (
    <Page
      title="Security log"
      intro="Sign-ins, tokens, devices and changes to your account, newest first."
    >
      <div className="filters">
        <div>
          <label htmlFor="area">What</label>
          <select id="area" value={area} onChange={(event) => setArea(event.target.value)}>
            {AREAS.map((a) => (
              <option key={a.value} value={a.value}>
                {a.label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="outcome">Outcome</label>
          <select id="outcome" value={outcome} onChange={(event) => setOutcome(event.target.value)}>
            <option value="">Any</option>
            <option value="success">Success</option>
            <option value="failure">Failure</option>
            <option value="denied">Denied</option>
          </select>
        </div>
      </div>
      {log.error && <Notice kind="error">{log.error}</Notice>}
      {log.loading && !log.data ? (
        <p className="loading">Loading the log…</p>
      ) : items.length === 0 ? (
        <Empty>
          {area || outcome
            ? 'No event of your account matches these filters.'
            : 'Nothing has happened on your account yet.'}
        </Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">Outcome</th>
                <th scope="col">By</th>
                <th scope="col">From</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {items.map((event) => (
                <tr key={event.id}>
                  <td>
                    <Time iso={event.created_at} />
                  </td>
                  <td>
                    <code>{event.action}</code>
                  </td>
                  <td>{event.outcome}</td>
                  <td>{event.actor_username ?? <span className="muted">nobody signed in</span>}</td>
                  <td>{event.ip ?? <span className="muted">hidden</span>}</td>
                  <td>
                    <EventDetails details={event.details} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager pager={pager} nextCursor={log.data?.next_cursor} />
    </Page>
  );
}
