import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { api, ApiError, call, messageOf, type Schemas } from '../api/client';
import { signOut, useSessionToken } from '../auth';
import { LoginForm } from '../components/login-form';
import { Notice } from '../components/notice';
import { Time } from '../components/time';

type Pending = Schemas['DevicePendingDto'];
type Outcome = { kind: 'approved'; scopes: string[]; name: string } | { kind: 'denied' };

const EXPIRY = [
  ['', 'Never'],
  ['30', '30 days'],
  ['90', '90 days'],
  ['365', '1 year'],
] as const;

/** Any case, with or without the dash: "bcdfghjk" becomes "BCDF-GHJK". */
export function normalizeUserCode(input: string): string {
  const letters = input
    .toUpperCase()
    .replace(/[^A-Z]/g, '')
    .slice(0, 8);
  return letters.length > 4 ? `${letters.slice(0, 4)}-${letters.slice(4)}` : letters;
}

/**
 * The verification_uri a device shows (/pair/device): sign in, enter or arrive with the code,
 * review what the device asks for, approve (narrowed, renamed, with an expiry) or deny.
 */
export default function PairingPage() {
  const token = useSessionToken();
  const [params, setParams] = useSearchParams();
  const [code, setCode] = useState(() => normalizeUserCode(params.get('user_code') ?? ''));
  const [pending, setPending] = useState<Pending | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [looking, setLooking] = useState(false);
  const [username, setUsername] = useState<string | null>(null);

  useEffect(() => {
    document.title = 'Pair a device · pairgate';
  }, []);

  async function lookUp(userCode: string) {
    setLooking(true);
    setError(null);
    try {
      const found = await call(
        api.GET('/api/auth/device/pending', { params: { query: { user_code: userCode } } }),
      );
      setPending(found);
      setParams({ user_code: found.user_code }, { replace: true });
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 401)) setError(messageOf(err));
    } finally {
      setLooking(false);
    }
  }

  // Signed in (now or already): who, and straight to the request when the URL carries a code.
  useEffect(() => {
    if (!token) return;
    let live = true;
    call(api.GET('/api/users/me'))
      .then((me) => {
        if (!live) return;
        setUsername(me.username);
        const fromUrl = normalizeUserCode(params.get('user_code') ?? '');
        if (fromUrl.length === 9 && !pending && !outcome) void lookUp(fromUrl);
      })
      .catch((err: unknown) => live && setError(messageOf(err)));
    return () => {
      live = false;
    };
    // Only when the sign-in changes: typing a code must not look it up.
  }, [token]);

  function startOver() {
    setPending(null);
    setOutcome(null);
    setError(null);
    setCode('');
    setParams({}, { replace: true });
  }

  return (
    <main className="narrow">
      <div className="topbar-inline">
        <h1>Pair a device</h1>
        {token && username && (
          <p className="muted">
            Signed in as {username} ·{' '}
            <button type="button" className="link" onClick={() => void signOut()}>
              Sign out
            </button>
          </p>
        )}
      </div>
      {error && <Notice kind="error">{error}</Notice>}
      {!token ? (
        <section aria-labelledby="login-title">
          <h2 id="login-title">Sign in</h2>
          <p className="muted">Sign in to the account the device should be paired with.</p>
          {code && (
            <p>
              Code: <strong className="big-code">{code}</strong>
            </p>
          )}
          <LoginForm />
        </section>
      ) : outcome ? (
        <Done outcome={outcome} onAnother={startOver} />
      ) : pending ? (
        <Review pending={pending} onDone={setOutcome} onOtherCode={startOver} />
      ) : (
        <CodeStep
          code={code}
          setCode={setCode}
          busy={looking}
          onSubmit={(value) => void lookUp(value)}
        />
      )}
    </main>
  );
}

function CodeStep({
  code,
  setCode,
  busy,
  onSubmit,
}: {
  code: string;
  setCode: (code: string) => void;
  busy: boolean;
  onSubmit: (code: string) => void;
}) {
  const [problem, setProblem] = useState<string | null>(null);
  function submit(event: FormEvent) {
    event.preventDefault();
    if (code.replace('-', '').length !== 8) {
      setProblem('Enter the 8 letters the device shows.');
      return;
    }
    setProblem(null);
    onSubmit(code);
  }
  return (
    <section aria-labelledby="code-title">
      <h2 id="code-title">Enter the code</h2>
      <form onSubmit={submit} noValidate>
        {problem && <Notice kind="error">{problem}</Notice>}
        <label htmlFor="user_code">Code shown on the device</label>
        <input
          id="user_code"
          name="user_code"
          type="text"
          className="code-box"
          inputMode="text"
          autoComplete="one-time-code"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={12}
          placeholder="BCDF-GHJK"
          aria-describedby="code-help"
          autoFocus
          value={code}
          onChange={(event) => setCode(normalizeUserCode(event.target.value))}
        />
        <p id="code-help" className="muted">
          8 letters, with or without the dash.
        </p>
        <div className="actions">
          <button className="primary" type="submit" disabled={busy}>
            {busy ? 'Looking up…' : 'Continue'}
          </button>
        </div>
      </form>
    </section>
  );
}

function Review({
  pending,
  onDone,
  onOtherCode,
}: {
  pending: Pending;
  onDone: (outcome: Outcome) => void;
  onOtherCode: () => void;
}) {
  const [scopes, setScopes] = useState(() =>
    pending.scopes.filter((s) => s.grantable).map((s) => s.name),
  );
  const [name, setName] = useState(pending.device_name || pending.client_name || '');
  const [expiry, setExpiry] = useState('');
  const [busy, setBusy] = useState<'approve' | 'deny' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  const badge = pending.client_registered
    ? { text: pending.client_verified ? 'Registered, verified' : 'Registered', tone: 'ok' }
    : { text: 'Unregistered', tone: 'warn' };

  async function decide(decision: 'approve' | 'deny') {
    if (decision === 'approve' && scopes.length === 0) {
      setError('Keep at least one permission, or deny the request.');
      return;
    }
    setBusy(decision);
    setError(null);
    try {
      if (decision === 'approve') {
        const body: Schemas['ApproveDeviceDto'] = { user_code: pending.user_code, scopes };
        if (name.trim()) body.name = name.trim();
        if (expiry) body.expires_in_days = Number(expiry);
        const result = await call(api.POST('/api/auth/device/approve', { body }));
        onDone({ kind: 'approved', scopes: result.scopes ?? scopes, name: result.name ?? name });
      } else {
        await call(api.POST('/api/auth/device/deny', { body: { user_code: pending.user_code } }));
        onDone({ kind: 'denied' });
      }
    } catch (err) {
      setError(messageOf(err));
      setBusy(null);
    }
  }

  return (
    <section aria-labelledby="review-title">
      <h2 id="review-title" tabIndex={-1} ref={heading}>
        {pending.client_name || 'An unnamed app'}
        <span className={`badge ${badge.tone}`}>{badge.text}</span>
      </h2>
      <p className="muted">{pending.client_warning}</p>
      <p className="warning" role="note">
        Only approve if you started this on a device in front of you.
      </p>
      <dl className="facts">
        <dt>Code</dt>
        <dd>
          <strong className="big-code">{pending.user_code}</strong>
        </dd>
        {pending.device_name && (
          <>
            <dt>Device name</dt>
            <dd>{pending.device_name}</dd>
          </>
        )}
        <dt>Device identifier</dt>
        <dd>
          <code>{pending.client_device_identifier}</code>
        </dd>
        <dt>Platform</dt>
        <dd>{pending.platform || 'not given'}</dd>
        <dt>Version</dt>
        <dd>{pending.client_version || 'not given'}</dd>
        <dt>Requested from</dt>
        <dd>{pending.ip || 'unknown address'}</dd>
        <dt>Requested</dt>
        <dd>
          <Time iso={pending.created_at} />
        </dd>
        <dt>Code expires</dt>
        <dd>
          <Time iso={pending.expires_at} />
        </dd>
      </dl>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void decide('approve');
        }}
        noValidate
      >
        <fieldset>
          <legend>It asks to</legend>
          {pending.scopes.map((scope) => (
            <div className="check" key={scope.name}>
              <input
                type="checkbox"
                id={`scope-${scope.name}`}
                checked={scopes.includes(scope.name)}
                disabled={!scope.grantable}
                onChange={(event) =>
                  setScopes((now) =>
                    event.target.checked
                      ? [...now, scope.name]
                      : now.filter((s) => s !== scope.name),
                  )
                }
              />
              <label htmlFor={`scope-${scope.name}`}>
                {scope.description} <code>{scope.name}</code>
                {!scope.grantable && <span className="muted"> (you cannot grant this)</span>}
              </label>
            </div>
          ))}
        </fieldset>
        <label htmlFor="token-name">Name for this device</label>
        <input
          id="token-name"
          type="text"
          maxLength={100}
          value={name}
          onChange={(event) => setName(event.target.value)}
        />
        <label htmlFor="expiry">Access expires</label>
        <select id="expiry" value={expiry} onChange={(event) => setExpiry(event.target.value)}>
          {EXPIRY.map(([value, label]) => (
            <option key={value} value={value}>
              {value ? `After ${label}` : label}
            </option>
          ))}
        </select>
        {error && <Notice kind="error">{error}</Notice>}
        <div className="actions">
          <button className="primary" type="submit" disabled={busy !== null}>
            {busy === 'approve' ? 'Approving…' : 'Approve'}
          </button>
          <button
            className="danger"
            type="button"
            disabled={busy !== null}
            onClick={() => void decide('deny')}
          >
            {busy === 'deny' ? 'Denying…' : 'Deny'}
          </button>
          <button type="button" disabled={busy !== null} onClick={onOtherCode}>
            Use another code
          </button>
        </div>
      </form>
    </section>
  );
}

/** The end: says what happened, then closes the page after 3 seconds (or says it may be closed). */
function Done({ outcome, onAnother }: { outcome: Outcome; onAnother: () => void }) {
  const [left, setLeft] = useState(3);
  useEffect(() => {
    if (left === 0) {
      window.close();
      return;
    }
    const timer = setTimeout(() => setLeft((n) => n - 1), 1000);
    return () => clearTimeout(timer);
  }, [left]);
  return (
    <section aria-labelledby="done-title">
      <h2 id="done-title">{outcome.kind === 'approved' ? 'Approved' : 'Denied'}</h2>
      <Notice kind="success">
        {outcome.kind === 'approved'
          ? `Approved. ${outcome.name || 'The device'} will finish signing in within a few seconds, with: ${outcome.scopes.join(', ')}.`
          : 'Denied. The device was not paired.'}
      </Notice>
      <p aria-live="polite">
        {left > 0 ? `This page closes in ${left} s.` : 'You can close this page now.'}
      </p>
      <div className="actions">
        <button type="button" onClick={onAnother}>
          Pair another device
        </button>
      </div>
    </section>
  );
}
