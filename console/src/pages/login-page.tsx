import { useEffect } from 'react';
import { Navigate, useLocation, useNavigate, useSearchParams } from 'react-router';
import { safeNext, useSessionToken } from '../auth';
import { LoginForm } from '../components/login-form';

export default function LoginPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const state = useLocation().state as { expired?: boolean; signedOut?: boolean } | null;
  const token = useSessionToken();
  const next = safeNext(params.get('next'));
  useEffect(() => {
    document.title = 'Sign in · pairgate';
  }, []);
  if (token) return <Navigate to={next} replace />;
  const notice = state?.expired
    ? 'Your session has ended. Sign in again.'
    : state?.signedOut
      ? 'You are signed out.'
      : undefined;
  return (
    <main className="narrow">
      <h1>Sign in to pairgate</h1>
      <section>
        <LoginForm notice={notice} onSignedIn={() => void navigate(next, { replace: true })} />
      </section>
    </main>
  );
}
