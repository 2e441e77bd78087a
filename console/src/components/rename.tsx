import { useId, useState, type FormEvent } from 'react';
import { messageOf } from '../api/client';

/** "Rename" opens a small form in place; Save shows progress and says what went wrong. */
export function RenameAction({
  current,
  what,
  save,
}: {
  current: string;
  what: string;
  save: (name: string) => Promise<unknown>;
}) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(current);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) {
      setError('Enter a name.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await save(name.trim());
      setOpen(false);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  if (!open) {
    return (
      <button type="button" aria-label={`Rename ${current}`} onClick={() => setOpen(true)}>
        Rename
      </button>
    );
  }
  return (
    <form className="inline-form" onSubmit={(event) => void submit(event)}>
      <label htmlFor={id}>New name for {what}</label>
      <input
        id={id}
        type="text"
        maxLength={100}
        value={name}
        autoFocus
        onChange={(event) => setName(event.target.value)}
      />
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Saving…' : 'Save'}
      </button>
      <button type="button" onClick={() => setOpen(false)}>
        Cancel
      </button>
      {error && (
        <span className="error-text" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}
