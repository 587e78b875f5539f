/**
 * Cold-start initialization that heals: the first successful result is kept for the life of
 * the container, a failed one is not. A Lambda container whose first initialization hit a
 * transient failure (Kafka or Secrets Manager unreachable) must try again on its next
 * invocation instead of failing every invocation with the same cached rejection.
 */

/**
 * Wraps `build` so concurrent callers share one attempt, a success is memoized, and a
 * rejection is forgotten once it has been reported to the callers that awaited it.
 */
export function initOnce<T>(build: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= build().catch((e: unknown) => {
      pending = undefined;
      throw e;
    });
    return pending;
  };
}
