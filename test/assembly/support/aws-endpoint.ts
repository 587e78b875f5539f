/**
 * The AWS endpoint every function of the assembly talks to (AWS_ENDPOINT_URL_DYNAMODB,
 * AWS_ENDPOINT_URL_SFN and AWS_ENDPOINT_URL_LAMBDA point here). It records each call as IAM
 * sees it — the principal (the access key id each execution role's process got is the role's
 * logical id, read back from the SigV4 credential scope), the IAM action from X-Amz-Target or
 * the REST path, and the resources named in the request — then forwards DynamoDB calls to
 * DynamoDB Local, Step Functions calls to the local Step Functions, and Lambda's Invoke to the
 * named function's sandbox.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ACCOUNT, PARTITION, REGION } from './cfn-template.ts';
import { LambdaInvokeError } from './lambda-sandbox.ts';

export interface RecordedCall {
  /** Logical id of the IAM role whose credentials signed the call. */
  readonly principal: string;
  /** IAM action, e.g. `dynamodb:PutItem`. */
  readonly action: string;
  readonly resource: string;
}

/** Calls a principal made, deduplicated, with how often each was made. */
export class CallRecorder {
  private readonly calls = new Map<string, RecordedCall & { count: number }>();

  record(call: RecordedCall): void {
    const key = `${call.principal} ${call.action} ${call.resource}`;
    const seen = this.calls.get(key);
    if (seen) seen.count++;
    else this.calls.set(key, { ...call, count: 1 });
  }

  all(): (RecordedCall & { count: number })[] {
    return [...this.calls.values()].sort((a, b) => `${a.principal}${a.action}${a.resource}`.localeCompare(`${b.principal}${b.action}${b.resource}`));
  }
}

/** A Step Functions API answering AWS JSON 1.0 requests (`AWSStepFunctions.<Operation>`). */
export type SfnApi = (operation: string, body: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** The functions Lambda's Invoke reaches: by name, ARN or partial ARN, as the Invoke API takes them. */
export interface LambdaApi {
  arnOf(functionName: string): string | undefined;
  /** A synchronous invocation; rejects with a LambdaInvokeError when the function fails. */
  invoke(arn: string, payload: unknown, principal: string): Promise<unknown>;
}

/** Lambda's Invoke in the REST API (`POST /2015-03-31/functions/{FunctionName}/invocations`). */
const LAMBDA_INVOKE = /^\/2015-03-31\/functions\/([^/]+)\/invocations(?:\?|$)/;

export class AwsApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}

const tableArn = (name: string, index?: string) => `arn:${PARTITION}:dynamodb:${REGION}:${ACCOUNT}:table/${name}${index ? `/index/${index}` : ''}`;

/** The IAM actions and resources one DynamoDB request is authorized by. */
export function dynamoAuthorization(operation: string, body: Record<string, unknown>): { action: string; resource: string }[] {
  const table = (o: Record<string, unknown>) => tableArn(String(o.TableName), o.IndexName ? String(o.IndexName) : undefined);
  switch (operation) {
    case 'TransactWriteItems':
      // Transactions are authorized item by item, through the actions they contain.
      return ((body.TransactItems ?? []) as Record<string, Record<string, unknown>>[]).flatMap((item) =>
        Object.entries(item).map(([kind, o]) => ({ action: `dynamodb:${kind === 'Put' ? 'PutItem' : kind === 'Update' ? 'UpdateItem' : kind === 'Delete' ? 'DeleteItem' : 'ConditionCheckItem'}`, resource: table(o) })),
      );
    case 'TransactGetItems':
      return ((body.TransactItems ?? []) as { Get: Record<string, unknown> }[]).map((item) => ({ action: 'dynamodb:GetItem', resource: table(item.Get) }));
    case 'BatchGetItem':
    case 'BatchWriteItem':
      return Object.keys((body.RequestItems ?? {}) as object).map((name) => ({ action: `dynamodb:${operation}`, resource: tableArn(name) }));
    default:
      return [{ action: `dynamodb:${operation}`, resource: table(body) }];
  }
}

/** The resource a Step Functions request names. */
function sfnResource(body: Record<string, unknown>): string {
  return String(body.executionArn ?? body.stateMachineArn ?? '*');
}

function principalOf(req: IncomingMessage): string {
  return /Credential=([^/]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? 'anonymous';
}

export class AwsEndpoint {
  private server: Server | undefined;
  url = '';

  constructor(
    private readonly dynamoEndpoint: string,
    private readonly sfn: SfnApi,
    readonly recorder: CallRecorder,
    private readonly lambda?: LambdaApi,
  ) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => void this.handle(req, res, Buffer.concat(chunks)));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  private async handle(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const target = String(req.headers['x-amz-target'] ?? '');
    const [prefix = '', operation = ''] = target.split('.');
    const principal = principalOf(req);
    let parsed: Record<string, unknown> = {};
    try {
      parsed = body.length ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {};
    } catch {
      // forwarded as is; the service answers the malformed request
    }
    if (prefix.startsWith('DynamoDB_')) {
      for (const a of dynamoAuthorization(operation, parsed)) this.recorder.record({ principal, ...a });
      return this.forward(req, res, body);
    }
    if (prefix === 'AWSStepFunctions') {
      this.recorder.record({ principal, action: `states:${operation}`, resource: sfnResource(parsed) });
      res.setHeader('Content-Type', 'application/x-amz-json-1.0');
      try {
        res.end(JSON.stringify(await this.sfn(operation, parsed)));
      } catch (e) {
        const err = e instanceof AwsApiError ? e : new AwsApiError('InternalFailure', (e as Error).message, 500);
        res.statusCode = err.status;
        res.end(JSON.stringify({ __type: err.type, message: err.message }));
      }
      return;
    }
    const invoke = LAMBDA_INVOKE.exec(req.url ?? '');
    if (invoke && this.lambda) return this.invokeFunction(req, res, decodeURIComponent(invoke[1] ?? ''), principal, body);
    this.recorder.record({ principal, action: `unknown:${target || req.url}`, resource: '*' });
    res.statusCode = 400;
    res.end(JSON.stringify({ __type: 'UnknownOperationException', message: `The assembly test serves no ${target}` }));
  }

  /** Invoke as Lambda answers it: the result, or the function's error with X-Amz-Function-Error. */
  private async invokeFunction(req: IncomingMessage, res: ServerResponse, name: string, principal: string, body: Buffer): Promise<void> {
    const lambda = this.lambda as LambdaApi;
    const arn = lambda.arnOf(name);
    this.recorder.record({ principal, action: 'lambda:InvokeFunction', resource: arn ?? name });
    res.setHeader('Content-Type', 'application/json');
    if (!arn) {
      res.statusCode = 404;
      res.setHeader('x-amzn-errortype', 'ResourceNotFoundException');
      res.end(JSON.stringify({ Type: 'User', message: `Function not found: ${name}` }));
      return;
    }
    const type = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
    if (type !== 'RequestResponse') {
      res.statusCode = 400;
      res.setHeader('x-amzn-errortype', 'InvalidParameterValueException');
      res.end(JSON.stringify({ Type: 'User', message: `The assembly test serves RequestResponse invocations only, not ${type}` }));
      return;
    }
    res.setHeader('X-Amz-Executed-Version', '$LATEST');
    try {
      const result = await lambda.invoke(arn, body.length ? JSON.parse(body.toString('utf8')) : {}, principal);
      res.end(JSON.stringify(result ?? null));
    } catch (e) {
      const err = e instanceof LambdaInvokeError ? e : new LambdaInvokeError((e as Error).name, (e as Error).message);
      res.setHeader('X-Amz-Function-Error', 'Unhandled');
      res.end(JSON.stringify({ errorType: err.errorType, errorMessage: err.errorMessage, trace: err.trace }));
    }
  }

  private forward(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const to = new URL(this.dynamoEndpoint);
    const out = request(
      { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: { ...req.headers, host: to.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 500, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', (e) => {
      res.statusCode = 502;
      res.end(JSON.stringify({ __type: 'ServiceUnavailable', message: e.message }));
    });
    out.end(body);
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
