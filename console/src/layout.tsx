import { useState } from 'react';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { signOut, useMe } from './auth';

const ACCOUNT = [
  ['/account/tokens', 'Client tokens'],
  ['/account/long-lived-tokens', 'Long-lived tokens'],
  ['/account/devices', 'Devices'],
  ['/account/sessions', 'Sessions'],
  ['/account/security-log', 'Security log'],
  ['/account/password', 'Password'],
] as const;

const ADMIN = [
  ['/admin', 'Dashboard'],
  ['/admin/users', 'Users'],
  ['/admin/tokens', 'Tokens'],
  ['/admin/devices', 'Devices'],
  ['/admin/oauth-clients', 'OAuth clients'],
  ['/admin/audit', 'Audit log'],
] as const;

/** The signed-in shell: who you are, your account's pages and, for admins only, the admin pages. */
export function Layout() {
  const me = useMe();
  const navigate = useNavigate();
  const [leaving, setLeaving] = useState(false);
  return (
    <div className="shell">
      <a className="skip" href="#content">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">pairgate</span>
        <span className="who">
          Signed in as <strong>{me.username}</strong>
          {me.role === 'admin' && <span className="badge">admin</span>}
          <button
            type="button"
            className="link"
            disabled={leaving}
            onClick={() => {
              setLeaving(true);
              void signOut().finally(() => void navigate('/login', { state: { signedOut: true } }));
            }}
          >
            {leaving ? 'Signing out…' : 'Sign out'}
          </button>
        </span>
      </header>
      <div className="columns">
        <nav className="sidenav" aria-label="Console">
          <h2>My account</h2>
          <ul>
            {ACCOUNT.map(([to, label]) => (
              <li key={to}>
                <NavLink to={to}>{label}</NavLink>
              </li>
            ))}
          </ul>
          {me.role === 'admin' && (
            <>
              <h2>Admin</h2>
              <ul>
                {ADMIN.map(([to, label]) => (
                  <li key={to}>
                    {/* The dashboard only at /admin; the audit log also for one event's page. */}
                    <NavLink to={to} end={to === '/admin'}>
                      {label}
                    </NavLink>
                  </li>
                ))}
              </ul>
            </>
          )}
        </nav>
        <main id="content" tabIndex={-1}>
          <Outlet />
        </main>
      </div>
    </div>
  );
}
