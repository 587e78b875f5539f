/**
 * Errors raised while building the CDK app: bad context, inconsistent construct props.
 * They surface at synth time, never in a deployed function.
 */

/** Base class of every error the infra code throws on purpose. */
export class TributaryInfraError extends Error {
  override readonly name: string = 'TributaryInfraError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A context value or construct prop is missing, malformed or contradicts another one. */
export class InfraConfigError extends TributaryInfraError {
  override readonly name = 'InfraConfigError';
}
