import { Link, useLocation } from 'react-router';
import { api, call } from '../../api/client';
import { Notice } from '../../components/notice';
import { Page } from '../../components/page';
import { Time } from '../../components/time';
import { useLoad } from '../../components/use-load';

const KIND_NAMES: Record<string, string> = {
  session: 'Login sessions',
  client: 'Client tokens',
  long_lived: 'Long-lived tokens',
};

export default function DashboardPage() {
  const created = (useLocation().state as { created?: string } | null)?.created;
  const stats = useLoad(() => call(api.GET('/api/admin/dashboard')), 'dashboard');
  const d = stats.data;
  return (
    <Page title="Dashboard">
      {created && <Notice kind="success">Admin “{created}” created. You are signed in.</Notice>}
      {stats.error && <Notice kind="error">{stats.error}</Notice>}
      {!d ? (
        !stats.error && <p className="loading">Counting…</p>
      ) : (
        <>
          <ul className="stats" aria-label="Counts">
            <li>
              <span className="value">{d.users.total}</span> <Link to="/admin/users">users</Link>
              <span className="muted">
                {' '}
                ({d.users.admins} admin{d.users.admins === 1 ? '' : 's'}, {d.users.disabled}{' '}
                disabled)
              </span>
            </li>
            {d.active_tokens.map((t) => (
              <li key={t.kind}>
                <span className="value">{t.active}</span> active{' '}
                {(KIND_NAMES[t.kind] ?? t.kind).toLowerCase()}
              </li>
            ))}
            <li>
              <span className="value">{d.devices}</span> <Link to="/admin/devices">devices</Link>
            </li>
            <li>
              <span className="value">{d.pending_device_authorizations}</span> pending device
              authorizations
            </li>
            <li>
              <span className="value">{d.events_last_24h}</span>{' '}
              <Link to="/admin/audit">audit events</Link> in the last 24 h
            </li>
            <li>
              <span className="value">{d.failed_logins_last_24h}</span> failed logins in the last 24
              h
            </li>
          </ul>
          <p className="muted">
            Counted <Time iso={d.generated_at} />.{' '}
            <button type="button" className="link" onClick={stats.reload}>
              Count again
            </button>
          </p>
        </>
      )}
    </Page>
  );
}
