import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { messageOf } from '../api/client';

export interface Confirmation {
  title: string;
  body: ReactNode;
  /** The button that goes ahead, for example "Revoke token". */
  confirm: string;
}

interface ActionProps {
  label: string;
  /** Shown while the request runs: "Revoking…". */
  busyLabel: string;
  action: () => Promise<unknown>;
  /** Destructive actions ask first. */
  confirm?: Confirmation;
  kind?: 'primary' | 'danger' | 'plain';
  /** An accessible name when the visible label is not enough ("Revoke Kitchen tablet"). */
  ariaLabel?: string;
}

/** A button that runs a request, shows its progress, and says in words when it failed. */
export function ActionButton({
  label,
  busyLabel,
  action,
  confirm,
  kind = 'plain',
  ariaLabel,
}: ActionProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const live = useRef(true);
  useEffect(
    () => () => {
      live.current = false;
    },
    [],
  );

  async function run() {
    setAsking(false);
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      if (live.current) setError(messageOf(err));
    } finally {
      if (live.current) setBusy(false);
    }
  }

  return (
    <span className="action">
      <button
        type="button"
        className={kind}
        disabled={busy}
        aria-label={busy ? undefined : ariaLabel}
        onClick={() => (confirm ? setAsking(true) : void run())}
      >
        {busy ? busyLabel : label}
      </button>
      {error && (
        <span className="error-text" role="alert">
          {error}
        </span>
      )}
      {confirm && asking && (
        <ConfirmDialog
          confirmation={confirm}
          onConfirm={() => void run()}
          onCancel={() => setAsking(false)}
        />
      )}
    </span>
  );
}

/** A modal question: focus moves into it and Escape cancels (native <dialog>). */
export function ConfirmDialog({
  confirmation,
  onConfirm,
  onCancel,
}: {
  confirmation: Confirmation;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog ref={ref} aria-labelledby={titleId} onCancel={onCancel} className="confirm">
      <h2 id={titleId}>{confirmation.title}</h2>
      <div>{confirmation.body}</div>
      <div className="actions">
        <button type="button" className="danger" onClick={onConfirm}>
          {confirmation.confirm}
        </button>
        <button type="button" onClick={onCancel} autoFocus>
          Cancel
        </button>
      </div>
    </dialog>
  );
}

/** Copies a value; falls back to selecting it when the clipboard is not available. */
export function CopyButton({ value, label = 'Copy' }: { value: string; label?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setState('copied');
    } catch {
      setState('failed');
    }
  }
  return (
    <span className="action">
      <button type="button" onClick={() => void copy()}>
        {state === 'copied' ? 'Copied' : label}
      </button>
      <span role="status" className="muted">
        {state === 'copied'
          ? 'Copied to the clipboard.'
          : state === 'failed'
            ? 'Copy failed: select the text and copy it.'
            : ''}
      </span>
    </span>
  );
}

/** A secret shown once: the value, a copy button and the warning. */
export function SecretOnce({
  title,
  value,
  children,
}: {
  title: string;
  value: string;
  children?: ReactNode;
}) {
  const id = useId();
  return (
    <section className="secret" aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      <p>Copy it now: it is shown only once.</p>
      <code className="token" aria-label="The new secret">
        {value}
      </code>
      <div className="actions">
        <CopyButton value={value} />
      </div>
      {children}
    </section>
  );
}
