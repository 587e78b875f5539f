/**
 * SigV4 signing for a deployed Tributary, whose API Gateway front takes only IAM-signed calls.
 * Credentials come from the standard AWS chain (env, profiles, SSO, container or instance role).
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { AwsSettings } from './cli-context.ts';

export interface UnsignedRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly body?: string | Buffer | undefined;
}

/** Signs requests for API Gateway (`execute-api`) in one region. */
export class RequestSigner {
  private readonly signer: SignatureV4;

  constructor(aws: AwsSettings, credentials?: AwsCredentialIdentityProvider) {
    this.signer = new SignatureV4({
      service: aws.service ?? 'execute-api',
      region: aws.region,
      credentials: credentials ?? fromNodeProviderChain(aws.profile ? { profile: aws.profile } : {}),
      sha256: Sha256,
    });
  }

  /** The headers to send: the originals plus host, x-amz-date, x-amz-security-token and authorization. */
  async sign(r: UnsignedRequest, signingDate?: Date): Promise<Record<string, string>> {
    const query: Record<string, string | string[]> = {};
    for (const [k, v] of r.url.searchParams) {
      const prior = query[k];
      query[k] = prior === undefined ? v : Array.isArray(prior) ? [...prior, v] : [prior, v];
    }
    const request = new HttpRequest({
      method: r.method,
      protocol: r.url.protocol,
      hostname: r.url.hostname,
      ...(r.url.port ? { port: Number(r.url.port) } : {}),
      path: r.url.pathname,
      query,
      headers: { ...lowerCase(r.headers), host: r.url.host },
      ...(r.body !== undefined && r.body.length > 0 ? { body: r.body } : {}),
    });
    const signed = await this.signer.sign(request, signingDate ? { signingDate } : {});
    return signed.headers;
  }
}

function lowerCase(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
