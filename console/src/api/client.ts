import createClient, { type Middleware } from 'openapi-fetch';
import { session } from '../session';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];

/** An API refusal, with a sentence a person can act on. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const bearer: Middleware = {
  onRequest({ request }) {
    const token = session.token();
    if (token && !request.headers.has('authorization')) {
      request.headers.set('authorization', `Bearer ${token}`);
    }
    return request;
  },
  onResponse({ request, response }) {
    // An expired or revoked session: forgetting it sends every signed-in page to the login
    // page (RequireAuth), which comes back here after signing in.
    if (response.status === 401 && request.headers.has('authorization') && session.token()) {
      session.clear('expired');
    }
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: '' });
api.use(bearer);

interface Result<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Awaits an openapi-fetch call and returns its data, or throws an ApiError in words. */
export async function call<T>(request: Promise<Result<T>>): Promise<T> {
  let result: Result<T>;
  try {
    result = await request;
  } catch {
    throw new ApiError(
      0,
      'network',
      'Could not reach the server. Check the connection and try again.',
    );
  }
  const { data, error, response } = result;
  if (response.ok) return data as T;
  throw errorOf(response, error);
}

function errorOf(response: Response, body: unknown): ApiError {
  const shape = (body ?? {}) as { error?: unknown; message?: unknown; error_description?: unknown };
  const code = typeof shape.error === 'string' ? shape.error : `http_${response.status}`;
  if (response.status === 429) {
    const retry = response.headers.get('retry-after');
    return new ApiError(
      429,
      code,
      `Too many attempts. Try again in ${retry ? `${retry} seconds` : 'a minute'}.`,
    );
  }
  const message =
    typeof shape.message === 'string'
      ? shape.message
      : typeof shape.error_description === 'string'
        ? shape.error_description
        : `The server answered ${response.status} ${response.statusText}.`;
  return new ApiError(response.status, code, message);
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : 'Something went wrong.';
}
