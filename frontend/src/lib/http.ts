// The one HTTP client of the page: JSON both ways with the session cookie, and every failure an ApiError carrying
// the node's own message. Each feature's api.ts builds its calls on it.
import type { ErrorBody, ProblemCode } from './wire';

/** A failed API call, with the node's own message (and category) when it sent one. */
export class ApiError extends Error {
  /** Seconds to wait, from Retry-After (429). */
  readonly retryAfter: number | null;
  /** The node's category of the failure (`ErrorBody.code`); null when the answer had none (a proxy's, or no answer). */
  readonly code: ProblemCode | null;
  /** What is wrong with each field of the request, by field name, when the node says (`FieldErrorsBody`). */
  readonly fields: Readonly<Record<string, string>>;

  constructor(
    readonly status: number,
    message: string,
    details: { retryAfter?: number | null; code?: ProblemCode | null; fields?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.retryAfter = details.retryAfter ?? null;
    this.code = details.code ?? null;
    this.fields = details.fields ?? {};
  }

  get unauthenticated(): boolean {
    return this.status === 401;
  }
}

/** What to show of any failure: the node's own words for an ApiError, the message of any other error. */
export function errorMessage(failure: unknown): string {
  return failure instanceof Error ? failure.message : String(failure);
}

/** A path with every interpolated value escaped as one segment: `apiPath\`/api/servers/${id}\``. */
export function apiPath(parts: TemplateStringsArray, ...values: (string | number)[]): string {
  return parts.reduce((path, part, index) => path + encodeURIComponent(String(values[index - 1])) + part);
}

/** Every category the node's error bodies name (exhaustive: a code the node adds fails the type check here). */
const PROBLEM_CODES: Readonly<Record<ProblemCode, true>> = {
  invalid: true, 'not-found': true, gone: true, conflict: true, refused: true, 'not-connected': true, 'timed-out': true,
  unavailable: true, 'upstream-failed': true, unauthenticated: true, forbidden: true, 'rate-limited': true,
  'too-large': true, 'unsupported-media-type': true, internal: true,
};

function isProblemCode(value: unknown): value is ProblemCode {
  return typeof value === 'string' && Object.hasOwn(PROBLEM_CODES, value);
}

/** The node's error body; a proxy in front of it may answer without a code, or with no JSON at all. */
type ErrorAnswer = Pick<ErrorBody, 'error'> & { code: ProblemCode | null; fields?: Record<string, string> };

function errorAnswer(value: unknown): ErrorAnswer | null {
  if (value === null || typeof value !== 'object' || !('error' in value) || typeof value.error !== 'string') return null;
  return {
    error: value.error,
    code: 'code' in value && isProblemCode(value.code) ? value.code : null,
    fields: 'fields' in value ? fieldMessages(value.fields) : undefined,
  };
}

/** A `fields` object of strings (FieldErrorsBody); anything else is ignored. */
function fieldMessages(value: unknown): Record<string, string> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const fields: Record<string, string> = {};
  for (const [name, message] of Object.entries(value)) {
    if (typeof message === 'string') fields[name] = message;
  }
  return fields;
}

type Fetch = typeof fetch;
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Calls the node's /api. `onUnauthenticated` runs on any 401 outside /api/auth/ (the session is gone). */
export class HttpClient {
  constructor(
    private readonly fetcher: Fetch = (input, init) => fetch(input, init),
    private readonly onUnauthenticated: () => void = () => {},
  ) {}

  get<T>(path: string): Promise<T> {
    return this.request('GET', path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request('POST', path, body);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.request('PUT', path, body);
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request('PATCH', path, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.request('DELETE', path);
  }

  /** The parsed answer, typed as the caller says the node answers (see wire.ts); null for an empty body. */
  async request<T>(method: Method, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await this.fetcher(path, {
        method,
        credentials: 'same-origin',
        headers: body === undefined ? { Accept: 'application/json' } : { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, 'The Steward node cannot be reached. Check that it is running and your network.');
    }
    const text = await response.text();
    let parsed: unknown = null;
    if (text.length > 0) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = null;
      }
    }
    if (!response.ok) {
      const answer = errorAnswer(parsed) ?? { error: `The node answered ${response.status} ${response.statusText}`.trim(), code: null };
      const retry = response.headers.get('Retry-After');
      const error = new ApiError(response.status, answer.error, {
        retryAfter: retry === null ? null : Number(retry), code: answer.code, fields: answer.fields,
      });
      // A wrong password (401 from /api/auth/login) is not a lost session.
      if (error.unauthenticated && !path.startsWith('/api/auth/')) {
        this.onUnauthenticated();
      }
      throw error;
    }
    return parsed as T;
  }
}
