import { useEffect, useState } from 'react';

/** "4:59 left", ticking; "expired" at the end. */
export function Countdown({ until, expired = 'Expired' }: { until: number; expired?: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = Math.max(0, Math.round((until - now) / 1000));
  if (left === 0) return <span className="error-text">{expired}</span>;
  return (
    <span>
      {Math.floor(left / 60)}:{String(left % 60).padStart(2, '0')} left
    </span>
  );
}
