/** The HTTP shapes the API speaks, independent of API Gateway or the local server. */

export interface ApiRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, readonly string[]>>;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | null;
  /** Why the body could not be read as text (bytes that are not UTF-8); answered with a 400. */
  readonly bodyError?: string;
}

export interface ApiResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Connect's error body. */
export function errorBody(status: number, message: string): { error_code: number; message: string } {
  return { error_code: status, message };
}
