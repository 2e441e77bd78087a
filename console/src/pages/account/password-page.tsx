import { useState, type FormEvent } from 'react';
import { api, call, messageOf } from '../../api/client';
import { Notice } from '../../components/notice';
import { Page } from '../../components/page';

export default function PasswordPage() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (next !== again) {
      setResult({ kind: 'error', text: 'The new passwords do not match.' });
      return;
    }
    setBusy(true);
    setResult(null);
    try {
      await call(
        api.PATCH('/api/users/me/password', {
          body: { current_password: current, new_password: next },
        }),
      );
      setCurrent('');
      setNext('');
      setAgain('');
      setResult({
        kind: 'success',
        text: 'Password changed. Your other sessions were signed out.',
      });
    } catch (err) {
      setResult({ kind: 'error', text: messageOf(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Page title="Password">
      <section>
        <form onSubmit={(event) => void submit(event)}>
          {result && <Notice kind={result.kind}>{result.text}</Notice>}
          <label htmlFor="current-password">Current password</label>
          <input
            id="current-password"
            type="password"
            autoComplete="current-password"
            required
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
          />
          <label htmlFor="new-password">New password</label>
          <input
            id="new-password"
            type="password"
            autoComplete="new-password"
            required
            minLength={8}
            aria-describedby="new-password-help"
            value={next}
            onChange={(e) => setNext(e.target.value)}
          />
          <p id="new-password-help" className="muted">
            At least 8 characters.
          </p>
          <label htmlFor="new-password-again">New password again</label>
          <input
            id="new-password-again"
            type="password"
            autoComplete="new-password"
            required
            value={again}
            onChange={(e) => setAgain(e.target.value)}
          />
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              {busy ? 'Changing…' : 'Change password'}
            </button>
          </div>
        </form>
      </section>
    </Page>
  );
}
