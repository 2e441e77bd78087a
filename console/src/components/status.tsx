/** A token's status as a word with a colour that is not the only signal. */
export function StatusBadge({ status }: { status: 'active' | 'revoked' | 'expired' }) {
  const tone = status === 'active' ? 'ok' : status === 'revoked' ? 'bad' : 'warn';
  return <span className={`badge ${tone}`}>{status}</span>;
}
