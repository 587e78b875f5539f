/**
 * CloudFormation's side of the template's custom resources, as a stack create, update and
 * delete drive them: each request event sent to the resource's ServiceToken function (the
 * provider framework's bundle from the assembly) the way CloudFormation invokes it, with a
 * pre-signed-style ResponseURL this driver serves, and the response the function PUTs there
 * read back. CloudFormation's own rules are kept: Update carries the physical id and the old
 * properties, a failed Update is rolled back by an Update to the previous properties, and a
 * resource whose DeletionPolicy is Retain gets no Delete at all.
 *
 * The provider framework PUTs its response with `https.request` to the URL's host name only
 * (no port), so the ResponseURL is served with TLS on port 443, on a loopback address of its
 * own (127.x.y.z: no clash with another run), under a certificate made for the run that the
 * framework's sandbox trusts through NODE_EXTRA_CA_CERTS.
 */
import { execFileSync } from 'node:child_process';
import { randomInt, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { join } from 'node:path';
import { ACCOUNT, PARTITION, REGION, type Cfn, type TemplateResolver } from './cfn-template.ts';

/** The body a custom resource provider PUTs to the ResponseURL. */
export interface CfnResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason?: string;
  readonly PhysicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly Data?: Record<string, unknown>;
}

export interface UpdateOutcome {
  readonly response: CfnResponse;
  /** After a FAILED update: the response to the rollback Update back to the previous properties. */
  readonly rollback?: CfnResponse;
}

type Invoke = (functionArn: string, event: unknown) => Promise<unknown>;

interface Applied {
  physicalId: string;
  properties: Record<string, Cfn>;
}

/** How long a response is waited for: a bound on the run (CloudFormation waits up to an hour). */
const RESPONSE_TIMEOUT_MS = 180_000;

export class CustomResourceDriver {
  /** Every response received, in order. */
  readonly responses: CfnResponse[] = [];
  /** The CA file the ServiceToken functions' sandboxes trust. */
  readonly caFile: string;
  private readonly host = `127.${randomInt(1, 255)}.${randomInt(0, 255)}.${randomInt(1, 255)}`;
  private readonly stackId = `arn:${PARTITION}:cloudformation:${REGION}:${ACCOUNT}:stack/Tributary/${randomUUID()}`;
  private readonly waiting = new Map<string, (r: CfnResponse) => void>();
  private readonly applied = new Map<string, Applied>();
  private readonly key: string;
  private server: Server | undefined;

  constructor(
    private readonly resolver: TemplateResolver,
    private readonly invoke: Invoke,
    workDir: string,
  ) {
    this.key = join(workDir, 'response-url.key');
    this.caFile = join(workDir, 'response-url.crt');
    // A certificate for this run's address, by the openssl CLI (Node has no certificate generation).
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=cloudformation-response', '-addext', `subjectAltName=IP:${this.host}`, '-keyout', this.key, '-out', this.caFile], { stdio: 'ignore' });
  }

  async start(): Promise<void> {
    const server = createServer({ key: readFileSync(this.key), cert: readFileSync(this.caFile) }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const requestId = /^\/cloudformation-response\/([^?]+)/.exec(req.url ?? '')?.[1] ?? '';
        const resolve = this.waiting.get(requestId);
        if (req.method !== 'PUT' || !resolve) {
          res.statusCode = 403;
          res.end('<Error><Code>AccessDenied</Code></Error>');
          return;
        }
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as CfnResponse;
        this.responses.push(body);
        this.waiting.delete(requestId);
        res.end();
        resolve(body);
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) =>
        reject(e.code === 'EACCES' ? new Error(`The ResponseURL must be served on ${this.host}:443 (the provider framework ignores the port): run as root or lower net.ipv4.ip_unprivileged_port_start`) : e),
      );
      server.listen(443, this.host, resolve);
    });
  }

  /** The resource's properties in the template, resolved (ServiceToken included). */
  templateProperties(logicalId: string): Record<string, Cfn> {
    return this.resolver.resolve(this.resolver.resource(logicalId).Properties) as Record<string, Cfn>;
  }

  async create(logicalId: string): Promise<CfnResponse> {
    const properties = this.templateProperties(logicalId);
    const response = await this.send(logicalId, { RequestType: 'Create', ResourceProperties: properties });
    if (response.Status === 'SUCCESS') this.applied.set(logicalId, { physicalId: response.PhysicalResourceId, properties });
    return response;
  }

  /** An Update to new properties (the template's, changed by `change`); a FAILED one is rolled back. */
  async update(logicalId: string, change: (properties: Record<string, Cfn>) => Record<string, Cfn>): Promise<UpdateOutcome> {
    const before = this.current(logicalId);
    const properties = change(structuredClone(before.properties));
    const response = await this.send(logicalId, { RequestType: 'Update', PhysicalResourceId: before.physicalId, ResourceProperties: properties, OldResourceProperties: before.properties });
    if (response.Status === 'SUCCESS') {
      this.applied.set(logicalId, { physicalId: response.PhysicalResourceId, properties });
      return { response };
    }
    const rollback = await this.send(logicalId, { RequestType: 'Update', PhysicalResourceId: before.physicalId, ResourceProperties: before.properties, OldResourceProperties: properties });
    return { response, rollback };
  }

  /** The resource leaves the stack: a Delete, or nothing at all when its DeletionPolicy is Retain. */
  async delete(logicalId: string): Promise<CfnResponse | 'retained'> {
    const before = this.current(logicalId);
    this.applied.delete(logicalId);
    if ((this.resolver.resource(logicalId) as { DeletionPolicy?: string }).DeletionPolicy === 'Retain') return 'retained';
    return this.send(logicalId, { RequestType: 'Delete', PhysicalResourceId: before.physicalId, ResourceProperties: before.properties });
  }

  private current(logicalId: string): Applied {
    const a = this.applied.get(logicalId);
    if (!a) throw new Error(`${logicalId} was not created`);
    return a;
  }

  /** One request as CloudFormation sends it: an asynchronous invocation of the ServiceToken, then the wait for the response. */
  private send(logicalId: string, request: Record<string, Cfn>): Promise<CfnResponse> {
    const requestId = randomUUID();
    const serviceToken = String(request.ResourceProperties.ServiceToken);
    const event = {
      ...request,
      ServiceToken: serviceToken,
      ResponseURL: `https://${this.host}/cloudformation-response/${requestId}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=7200&X-Amz-Signature=${randomUUID().replaceAll('-', '')}`,
      StackId: this.stackId,
      RequestId: requestId,
      LogicalResourceId: logicalId,
      ResourceType: this.resolver.resource(logicalId).Type,
    };
    return new Promise<CfnResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(requestId);
        reject(new Error(`No response to the ${String(request.RequestType)} of ${logicalId} within ${RESPONSE_TIMEOUT_MS / 1000} s`));
      }, RESPONSE_TIMEOUT_MS);
      this.waiting.set(requestId, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
      // Lambda would retry a failed asynchronous invocation; a failure of the framework itself is this run's failure.
      this.invoke(serviceToken, event).catch((e: Error) => {
        clearTimeout(timer);
        this.waiting.delete(requestId);
        reject(new Error(`The ServiceToken function ${serviceToken} failed: ${e.message}`));
      });
    });
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
