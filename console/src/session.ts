// The login session's bearer token lives in sessionStorage: it is sent as an Authorization
// header (never a cookie, so there is no CSRF surface) and is gone when the tab closes.
const KEY = 'pairgate.session';

type Listener = () => void;
const listeners = new Set<Listener>();
let expired = false;

export const session = {
  token: (): string | null => sessionStorage.getItem(KEY),
  signIn(token: string): void {
    expired = false;
    sessionStorage.setItem(KEY, token);
    listeners.forEach((listener) => listener());
  },
  /** Forgets the token: signed out, or `expired` when the server refused it (401). */
  clear(reason: 'signed-out' | 'expired' = 'signed-out'): void {
    if (sessionStorage.getItem(KEY) === null) return;
    expired = reason === 'expired';
    sessionStorage.removeItem(KEY);
    listeners.forEach((listener) => listener());
  },
  /** Whether the last session ended because the server refused it. */
  expired: (): boolean => expired,
  subscribe: (listener: Listener): (() => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
