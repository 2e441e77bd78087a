import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, call, messageOf } from '../api/client';
import { Notice } from '../components/notice';
import { useLoad } from '../components/use-load';
import { session } from '../session';

/** First run (/setup?code=…, the link the server prints): create the first admin. */
export default function SetupPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const status = useLoad(() => call(api.GET('/api/setup')), 'setup');
  const [form, setForm] = useState({
    setup_code: params.get('code') ?? '',
    username: '',
    email: '',
    password: '',
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    document.title = 'Set up · pairgate';
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { email, ...rest } = form;
      const admin = await call(api.POST('/api/setup', { body: email ? { ...rest, email } : rest }));
      // Straight in: sign the new admin in with what they just typed.
      const login = await call(
        api.POST('/api/auth/login', { body: { username: form.username, password: form.password } }),
      );
      session.signIn(login.access_token);
      void navigate('/admin', { replace: true, state: { created: admin.username } });
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  }

  const field = (name: keyof typeof form) => ({
    id: name,
    name,
    value: form[name],
    onChange: (event: { target: { value: string } }) =>
      setForm({ ...form, [name]: event.target.value }),
  });

  if (status.error) {
    return (
      <main className="narrow">
        <h1>Set up pairgate</h1>
        <Notice kind="error">{status.error}</Notice>
      </main>
    );
  }
  if (!status.data) return <p className="loading">Loading…</p>;
  if (!status.data.setup_required) {
    return (
      <main className="narrow">
        <h1>Setup is finished</h1>
        <p>
          An admin account already exists, so there is nothing to set up.{' '}
          <Link to="/login">Sign in</Link> with it, or ask an admin to create an account for you.
        </p>
      </main>
    );
  }
  return (
    <main className="narrow">
      <h1>Create the first admin</h1>
      <p>Use the setup code printed in the server log.</p>
      <section>
        <form onSubmit={(event) => void submit(event)}>
          {error && <Notice kind="error">{error}</Notice>}
          <label htmlFor="setup_code">Setup code</label>
          <input
            type="text"
            required
            autoComplete="one-time-code"
            spellCheck={false}
            {...field('setup_code')}
          />
          <label htmlFor="username">Username</label>
          <input
            type="text"
            required
            minLength={3}
            maxLength={64}
            autoComplete="username"
            {...field('username')}
          />
          <label htmlFor="email">Email (optional)</label>
          <input type="email" autoComplete="email" {...field('email')} />
          <label htmlFor="password">Password</label>
          <input
            type="password"
            required
            minLength={8}
            autoComplete="new-password"
            aria-describedby="password-help"
            {...field('password')}
          />
          <p id="password-help" className="muted">
            At least 8 characters.
          </p>
          <div className="actions">
            <button className="primary" type="submit" disabled={busy}>
              {busy ? 'Creating…' : 'Create admin'}
            </button>
          </div>
        </form>
      </section>
    </main>
  );
}
