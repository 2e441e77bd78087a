/** What a benchmark scenario gets: the running server and a few API helpers. */
export interface BenchContext {
  baseUrl: string;
  /** A session token of the admin the runner created. */
  adminToken: string;
  /** Calls the API with fetch; throws on a non-2xx answer. */
  api<T = any>(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; form?: Record<string, string> },
  ): Promise<T>;
  /** Creates a user through the admin API and returns a session token for them. */
  userSession(username: string): Promise<{ token: string; userId: string }>;
  /** Runs SQL against the benchmark database (for counting writes). */
  sql<T = any>(query: string, params?: unknown[]): Promise<T[]>;
}

export interface BenchRequest {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * One measured route. `prepare` runs before the load; `requests` may rotate over many
 * requests (autocannon cycles through them); `verify` runs after, to check side effects
 * such as how many writes the run caused.
 */
export interface BenchScenario {
  name: string;
  /**
   * Why the scenario needs MariaDB/MySQL, when it does (seeding with MariaDB's sequence
   * engine, say): `--database sqlite` then lists it as skipped instead of failing the run.
   */
  needsMysql?: string;
  /**
   * `perConnection`: the requests are split into one disjoint slice per connection, each
   * connection cycling only its own (a device polls its own code, not everyone's).
   */
  prepare(ctx: BenchContext): Promise<{ requests: BenchRequest[]; perConnection?: boolean }>;
  verify?(
    ctx: BenchContext,
    run: { requests: number; durationSeconds: number },
  ): Promise<string | void>;
}
