import type { ReactNode } from 'react';

/** A status line: errors are announced at once (alert), the rest politely (status). */
export function Notice({
  kind = 'info',
  children,
}: {
  kind?: 'info' | 'error' | 'success';
  children: ReactNode;
}) {
  if (children === null || children === undefined || children === '') return null;
  return (
    <div className={`notice ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}
