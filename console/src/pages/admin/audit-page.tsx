import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, call, messageOf, type Schemas } from '../../api/client';
import { EventDetails } from '../../components/event-details';
import { Notice } from '../../components/notice';
import { Empty, Page } from '../../components/page';
import { Pager, usePager } from '../../components/pager';
import { Time } from '../../components/time';
import { useLoad } from '../../components/use-load';

interface Filters {
  action: string;
  outcome: '' | 'success' | 'failure' | 'denied';
  /** A username, or a user id typed as such. */
  actor: string;
  target_type: string;
  target_id: string;
  ip: string;
  since: string;
  until: string;
}

const NO_FILTERS: Filters = {
  action: '',
  outcome: '',
  actor: '',
  target_type: '',
  target_id: '',
  ip: '',
  since: '',
  until: '',
};

/** Whom the actor filter stands for, once the typed username is looked up. */
type Actor = { kind: 'any' } | { kind: 'user'; id: string } | { kind: 'unknown'; name: string };

interface Applied {
  filters: Filters;
  actor: Actor;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A typed user id as is; a username looked up among the users whose name contains it, the one
 * whose name is exactly it (usernames are unique regardless of case).
 */
async function resolveActor(typed: string): Promise<Actor> {
  const text = typed.trim();
  if (!text) return { kind: 'any' };
  if (UUID.test(text)) return { kind: 'user', id: text };
  const wanted = text.toLowerCase();
  let cursor: string | undefined;
  // The search matches parts of names and emails too: a few pages are plenty to find the one.
  for (let page = 0; page < 10; page++) {
    const found = await call(
      api.GET('/api/admin/users', { params: { query: { q: text, limit: 100, cursor } } }),
    );
    const user = found.items.find((u) => u.username.toLowerCase() === wanted);
    if (user) return { kind: 'user', id: user.id };
    if (!found.next_cursor) break;
    cursor = found.next_cursor;
  }
  return { kind: 'unknown', name: text };
}

/** The filters as query parameters: empty ones left out, local times as instants. */
function toQuery({ filters, actor }: Applied) {
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries(filters)) {
    if (!value || key === 'actor') continue;
    query[key] = key === 'since' || key === 'until' ? new Date(value).toISOString() : value.trim();
  }
  if (actor.kind === 'user') query.actor_user_id = actor.id;
  return query as Partial<Record<Exclude<keyof Filters, 'actor'> | 'actor_user_id', string>> & {
    outcome?: 'success' | 'failure' | 'denied';
  };
}

const NOTHING_APPLIED: Applied = { filters: NO_FILTERS, actor: { kind: 'any' } };

export default function AdminAuditPage() {
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [applied, setApplied] = useState<Applied>(NOTHING_APPLIED);
  const [applying, setApplying] = useState(false);
  const [applyError, setApplyError] = useState<string | null>(null);
  const key = JSON.stringify(applied);
  const pager = usePager(key);
  const unknownActor = applied.actor.kind === 'unknown' ? applied.actor.name : null;
  const list = useLoad<Schemas['AuditEventPageDto']>(
    async () =>
      // Nobody has that name: no event is theirs, rather than every event of everyone.
      unknownActor !== null
        ? { items: [], next_cursor: null }
        : call(
            api.GET('/api/admin/audit-events', {
              params: { query: { ...toQuery(applied), limit: 50, cursor: pager.cursor } },
            }),
          ),
    `${key}:${pager.cursor}`,
  );

  async function apply(event: FormEvent) {
    event.preventDefault();
    setApplying(true);
    setApplyError(null);
    try {
      setApplied({ filters: draft, actor: await resolveActor(draft.actor) });
    } catch (err) {
      setApplyError(messageOf(err));
    } finally {
      setApplying(false);
    }
  }
  const field = (name: keyof Filters, label: string, type = 'text') => (
    <div>
      <label htmlFor={`f-${name}`}>{label}</label>
      <input
        id={`f-${name}`}
        type={type}
        value={draft[name]}
        onChange={(event) => setDraft({ ...draft, [name]: event.target.value })}
      />
    </div>
  );

  return (
    <Page
      title="Audit log"
      intro="Every change and refusal, newest first, in a hash chain that shows any edit or deletion."
    >
      <Verification />
      <form className="filters" onSubmit={(event) => void apply(event)} aria-label="Filters">
        {field('action', 'Action (or prefix ending in .)')}
        <div>
          <label htmlFor="f-outcome">Outcome</label>
          <select
            id="f-outcome"
            value={draft.outcome}
            onChange={(event) =>
              setDraft({ ...draft, outcome: event.target.value as Filters['outcome'] })
            }
          >
            <option value="">Any</option>
            <option value="success">Success</option>
            <option value="failure">Failure</option>
            <option value="denied">Denied</option>
          </select>
        </div>
        {field('actor', 'Actor (username or user id)')}
        {field('target_type', 'Target type')}
        {field('target_id', 'Target id')}
        {field('ip', 'IP address')}
        {field('since', 'From', 'datetime-local')}
        {field('until', 'Before', 'datetime-local')}
        <div className="actions">
          <button type="submit" className="primary" disabled={applying}>
            {applying ? 'Applying…' : 'Apply filters'}
          </button>
          <button
            type="button"
            onClick={() => {
              setDraft(NO_FILTERS);
              setApplied(NOTHING_APPLIED);
              setApplyError(null);
            }}
          >
            Clear
          </button>
        </div>
      </form>
      {applyError && <Notice kind="error">{applyError}</Notice>}
      {unknownActor === null && <Export applied={applied} />}
      {list.error && <Notice kind="error">{list.error}</Notice>}
      {unknownActor !== null ? (
        <Notice>No user named “{unknownActor}”. Check the spelling, or type their user id.</Notice>
      ) : list.loading && !list.data ? (
        <p className="loading">Loading events…</p>
      ) : list.data?.items.length === 0 ? (
        <Empty>
          {key === JSON.stringify(NOTHING_APPLIED)
            ? 'The audit log is empty.'
            : 'No event matches these filters.'}
        </Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">When</th>
                <th scope="col">Action</th>
                <th scope="col">Outcome</th>
                <th scope="col">Actor</th>
                <th scope="col">Target</th>
                <th scope="col">IP</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {list.data?.items.map((event) => (
                <EventRow key={event.id} event={event} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager pager={pager} nextCursor={list.data?.next_cursor} />
    </Page>
  );
}

function EventRow({ event }: { event: Schemas['AuditEventDto'] }) {
  return (
    <tr>
      <td>
        <Link to={`/admin/audit/${event.id}`} aria-label={`Event ${event.id}`}>
          {event.id}
        </Link>
      </td>
      <td>
        <Time iso={event.created_at} />
      </td>
      <td>
        <code>{event.action}</code>
      </td>
      <td>
        <span className={`badge ${event.outcome === 'success' ? 'ok' : 'bad'}`}>
          {event.outcome}
        </span>
      </td>
      <td>
        {event.actor_username ?? <span className="muted">anonymous</span>}
        {event.actor_token_kind && <span className="muted"> ({event.actor_token_kind})</span>}
      </td>
      <td>
        {event.target_type ? (
          `${event.target_type} ${event.target_id ?? ''}`
        ) : (
          <span className="muted">none</span>
        )}
      </td>
      <td>{event.ip ?? <span className="muted">none</span>}</td>
      <td>
        <EventDetails details={event.details} />
      </td>
    </tr>
  );
}

/** The chain check, said plainly. */
function Verification() {
  const [result, setResult] = useState<Schemas['AuditVerificationDto'] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function verify() {
    setBusy(true);
    setError(null);
    try {
      setResult(await call(api.GET('/api/admin/audit-events/verify')));
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <section
      aria-labelledby="verify-title"
      className={result ? `verify ${result.ok ? 'ok' : 'bad'}` : 'verify'}
    >
      <h2 id="verify-title">Chain verification</h2>
      {error && <Notice kind="error">{error}</Notice>}
      {result && (
        <p role="status">
          {result.ok
            ? `The log is intact: all ${result.checked} events from #${result.head.first_id} to #${result.head.last_id} link up and match the signed head.`
            : `The log has been tampered with${result.first_bad_id ? ` at event #${result.first_bad_id}` : ''}: ${result.reason ?? 'the chain does not match'}.`}
        </p>
      )}
      <button type="button" onClick={() => void verify()} disabled={busy}>
        {busy ? 'Verifying…' : result ? 'Verify again' : 'Verify the chain'}
      </button>
    </section>
  );
}

/** Downloads the filtered log; fetched with the session header, then saved from memory. */
function Export({ applied }: { applied: Applied }) {
  const [busy, setBusy] = useState<'ndjson' | 'csv' | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function download(format: 'ndjson' | 'csv') {
    setBusy(format);
    setError(null);
    try {
      const blob = await call(
        api.GET('/api/admin/audit-events/export', {
          params: { query: { ...toQuery(applied), format } },
          parseAs: 'blob',
        }),
      );
      const url = URL.createObjectURL(blob as Blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `pairgate-audit-${new Date().toISOString().slice(0, 10)}.${format}`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(null);
    }
  }
  return (
    <div className="actions">
      <button type="button" disabled={busy !== null} onClick={() => void download('csv')}>
        {busy === 'csv' ? 'Exporting…' : 'Export CSV'}
      </button>
      <button type="button" disabled={busy !== null} onClick={() => void download('ndjson')}>
        {busy === 'ndjson' ? 'Exporting…' : 'Export NDJSON'}
      </button>
      {error && (
        <span className="error-text" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
