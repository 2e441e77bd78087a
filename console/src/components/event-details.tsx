/** An audit event's details, as short "key: value" pairs. */
export function EventDetails({ details }: { details: Record<string, unknown> | null | undefined }) {
  if (!details || Object.keys(details).length === 0) return <span className="muted">none</span>;
  return (
    <span className="details">
      {Object.entries(details)
        .map(
          ([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`,
        )
        .join('; ')}
    </span>
  );
}
