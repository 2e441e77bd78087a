import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { api, call, type Schemas } from './api/client';
import { Notice } from './components/notice';
import { useLoad } from './components/use-load';
import { session } from './session';

export type Me = Schemas['MeDto'];

const MeContext = createContext<Me | null>(null);

export function useSessionToken(): string | null {
  return useSyncExternalStore(session.subscribe, session.token);
}

export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe() outside <RequireAuth>');
  return me;
}

/** Where to go after signing in: only a path on this site. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function loginPath(location: { pathname: string; search: string }): string {
  return `/login?next=${encodeURIComponent(location.pathname + location.search)}`;
}

export function RequireAuth({ children }: { children: ReactNode }) {
  const token = useSessionToken();
  const location = useLocation();
  if (!token)
    return <Navigate to={loginPath(location)} replace state={{ expired: session.expired() }} />;
  return <WithMe token={token}>{children}</WithMe>;
}

function WithMe({ token, children }: { token: string; children: ReactNode }) {
  const me = useLoad(() => call(api.GET('/api/users/me')), token);
  if (me.error) return <Notice kind="error">{me.error}</Notice>;
  if (!me.data) return <p className="loading">Loading…</p>;
  return <MeContext.Provider value={me.data}>{children}</MeContext.Provider>;
}

export async function signOut(): Promise<void> {
  try {
    await api.POST('/api/auth/logout');
  } finally {
    session.clear();
  }
}
