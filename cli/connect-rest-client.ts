/**
 * A small client for the Connect REST API (tests, benchmarks, and underneath the CLI's
 * ConnectClient): status and parsed body of each call, never an error for a 4xx or 5xx, and
 * polling until a condition holds.
 */

export interface RestResult<T = unknown> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/**
 * One call. `raw` is sent as the body as is (malformed JSON too); `headers`, when given, are
 * the request's headers exactly (a signed request's), instead of a JSON content type.
 */
export async function rest<T = unknown>(base: string, method: string, path: string, body?: unknown, raw?: string, headers?: Record<string, string>): Promise<RestResult<T>> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: headers ?? (body !== undefined || raw !== undefined ? { 'Content-Type': 'application/json' } : {}),
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/** Polls until `check` returns a truthy value, or fails with the last value seen. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, { timeoutMs = 60_000, intervalMs = 250, what = 'condition' } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v) return v;
      last = v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
}
