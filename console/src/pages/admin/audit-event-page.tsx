import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { api, ApiError, call } from '../../api/client';
import { Notice } from '../../components/notice';
import { Page } from '../../components/page';
import { exactTime, Time } from '../../components/time';
import { useLoad } from '../../components/use-load';

/** One audit event with every field the log keeps, links included. */
export default function AdminAuditEventPage() {
  const { id = '' } = useParams();
  const valid = /^[1-9]\d{0,15}$/.test(id);
  const event = useLoad(async () => {
    if (!valid) return null;
    try {
      return await call(
        api.GET('/api/admin/audit-events/{id}', { params: { path: { id: Number(id) } } }),
      );
    } catch (err) {
      // A number the log never reached, or one retention has deleted: said as such below.
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    }
  }, `audit-event:${id}`);
  const e = event.data;

  return (
    <Page title={`Audit event #${id}`}>
      <p>
        <Link to="/admin/audit">Back to the audit log</Link>
      </p>
      {event.error && <Notice kind="error">{event.error}</Notice>}
      {event.loading && event.data === undefined ? (
        <p className="loading">Loading the event…</p>
      ) : e === null ? (
        <Notice kind="error">
          No audit event #{id}: the log has no event with this number, or it has been deleted by
          retention.
        </Notice>
      ) : (
        e && (
          <>
            <section aria-labelledby="event-what">
              <h2 id="event-what">What happened</h2>
              <dl className="facts">
                <Fact term="Number">{e.id}</Fact>
                <Fact term="When">
                  <Time iso={e.created_at} /> ({exactTime(e.created_at)})
                </Fact>
                <Fact term="Action">
                  <code>{e.action}</code>
                </Fact>
                <Fact term="Outcome">
                  <span className={`badge ${e.outcome === 'success' ? 'ok' : 'bad'}`}>
                    {e.outcome}
                  </span>
                </Fact>
                <Fact term="Target type">{e.target_type}</Fact>
                <Fact term="Target id" code>
                  {e.target_id}
                </Fact>
              </dl>
            </section>
            <section aria-labelledby="event-who">
              <h2 id="event-who">Who and from where</h2>
              <dl className="facts">
                <Fact term="Actor" none="anonymous">
                  {e.actor_username}
                </Fact>
                <Fact term="Actor user id" code>
                  {e.actor_user_id}
                </Fact>
                <Fact term="Token kind">{e.actor_token_kind}</Fact>
                <Fact term="Token id" code>
                  {e.actor_token_id}
                </Fact>
                <Fact term="Device id" code>
                  {e.actor_device_id}
                </Fact>
                <Fact term="IP address">{e.ip}</Fact>
                <Fact term="User agent">{e.user_agent}</Fact>
              </dl>
            </section>
            <section aria-labelledby="event-details">
              <h2 id="event-details">Details</h2>
              {e.details && Object.keys(e.details).length > 0 ? (
                <pre className="details">{JSON.stringify(e.details, null, 2)}</pre>
              ) : (
                <p className="muted">None recorded.</p>
              )}
            </section>
            <section aria-labelledby="event-chain">
              <h2 id="event-chain">Hash chain</h2>
              <dl className="facts">
                <Fact term="Previous hash" code>
                  {e.prev_hash}
                </Fact>
                <Fact term="Hash" code>
                  {e.hash}
                </Fact>
              </dl>
            </section>
          </>
        )
      )}
    </Page>
  );
}

/** A term and its value; an empty value says "none" rather than leaving a gap. */
function Fact({
  term,
  children,
  code = false,
  none = 'none',
}: {
  term: string;
  children: ReactNode;
  code?: boolean;
  none?: string;
}) {
  const empty = children === null || children === undefined || children === '';
  return (
    <>
      <dt>{term}</dt>
      <dd>
        {empty ? <span className="muted">{none}</span> : code ? <code>{children}</code> : children}
      </dd>
    </>
  );
}
