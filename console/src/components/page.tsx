import { useEffect, type ReactNode } from 'react';

/** A page's heading and document title. */
export function Page({
  title,
  intro,
  children,
}: {
  title: string;
  intro?: ReactNode;
  children: ReactNode;
}) {
  useEffect(() => {
    document.title = `${title} · pairgate`;
  }, [title]);
  return (
    <>
      <h1>{title}</h1>
      {intro && <p className="intro">{intro}</p>}
      {children}
    </>
  );
}

/** A list's empty state, said plainly. */
export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}
