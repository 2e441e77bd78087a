import { lazy, Suspense, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { RequireAuth, useMe } from './auth';
import { Layout } from './layout';

// Route-level code splitting: a phone opening the pairing page loads only what it needs.
const LoginPage = lazy(() => import('./pages/login-page'));
const SetupPage = lazy(() => import('./pages/setup-page'));
const PairingPage = lazy(() => import('./pages/pairing-page'));
const ClientTokensPage = lazy(() => import('./pages/account/client-tokens-page'));
const LongLivedTokensPage = lazy(() => import('./pages/account/long-lived-tokens-page'));
const DevicesPage = lazy(() => import('./pages/account/devices-page'));
const SecurityLogPage = lazy(() => import('./pages/account/security-log-page'));
const SessionsPage = lazy(() => import('./pages/account/sessions-page'));
const PasswordPage = lazy(() => import('./pages/account/password-page'));
const DashboardPage = lazy(() => import('./pages/admin/dashboard-page'));
const AdminUsersPage = lazy(() => import('./pages/admin/users-page'));
const AdminTokensPage = lazy(() => import('./pages/admin/tokens-page'));
const AdminDevicesPage = lazy(() => import('./pages/admin/devices-page'));
const AdminOAuthClientsPage = lazy(() => import('./pages/admin/oauth-clients-page'));
const AdminAuditPage = lazy(() => import('./pages/admin/audit-page'));
const AdminAuditEventPage = lazy(() => import('./pages/admin/audit-event-page'));

function AdminOnly({ children }: { children: ReactNode }) {
  const me = useMe();
  if (me.role !== 'admin') return <NotFound />;
  return children;
}

function NotFound() {
  return (
    <main className="narrow">
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <a href="/">Go to the console</a>.
      </p>
    </main>
  );
}

export function App() {
  return (
    <BrowserRouter>
      <Suspense fallback={<p className="loading">Loading…</p>}>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route path="/setup" element={<SetupPage />} />
          <Route path="/pair/device" element={<PairingPage />} />
          <Route
            element={
              <RequireAuth>
                <Layout />
              </RequireAuth>
            }
          >
            <Route index element={<Navigate to="/account/tokens" replace />} />
            <Route path="account/tokens" element={<ClientTokensPage />} />
            <Route path="account/long-lived-tokens" element={<LongLivedTokensPage />} />
            <Route path="account/devices" element={<DevicesPage />} />
            <Route path="account/sessions" element={<SessionsPage />} />
            <Route path="account/security-log" element={<SecurityLogPage />} />
            <Route path="account/password" element={<PasswordPage />} />
            <Route
              path="admin"
              element={
                <AdminOnly>
                  <DashboardPage />
                </AdminOnly>
              }
            />
            <Route
              path="admin/users"
              element={
                <AdminOnly>
                  <AdminUsersPage />
                </AdminOnly>
              }
            />
            <Route
              path="admin/tokens"
              element={
                <AdminOnly>
                  <AdminTokensPage />
                </AdminOnly>
              }
            />
            <Route
              path="admin/devices"
              element={
                <AdminOnly>
                  <AdminDevicesPage />
                </AdminOnly>
              }
            />
            <Route
              path="admin/oauth-clients"
              element={
                <AdminOnly>
                  <AdminOAuthClientsPage />
                </AdminOnly>
              }
            />
            <Route
              path="admin/audit"
              element={
                <AdminOnly>
                  <AdminAuditPage />
                </AdminOnly>
              }
            />
            <Route
              path="admin/audit/:id"
              element={
                <AdminOnly>
                  <AdminAuditEventPage />
                </AdminOnly>
              }
            />
          </Route>
          <Route path="*" element={<NotFound />} />
        </Routes>
      </Suspense>
    </BrowserRouter>
  );
}
