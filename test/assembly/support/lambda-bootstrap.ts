/**
 * The Lambda runtime of the assembly test: runs in its own Node process of the function's
 * runtime version (Node strips the types of this file itself), from the function's
 * isolated task root. It loads the handler as Lambda does (`index.handler` → index.mjs,
 * .js or .cjs; an .mjs imported, the others required, an ES module among them imported), reports an init failure as Runtime.ImportModuleError, and then serves
 * one invocation at a time over IPC with a Lambda-shaped context.
 * Only erasable TypeScript here: no enums, no parameter properties.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { lambdaContext } from '../../../host/lambda-context.ts';

interface Invoke {
  readonly type: 'invoke';
  readonly id: number;
  readonly event: unknown;
  readonly deadline: number;
  readonly requestId: string;
}

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

const [taskRoot = '.', handlerSpec = 'index.handler'] = process.argv.slice(2);
const send = (m: unknown) => process.send?.(m);
const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'function';
const memory = Number(process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? 128);

function describe(e: unknown): { errorType: string; errorMessage: string; trace: string[] } {
  const err = e instanceof Error ? e : new Error(String(e));
  return { errorType: err.name, errorMessage: err.message, trace: (err.stack ?? '').split('\n') };
}

async function load(): Promise<Handler> {
  const dot = handlerSpec.lastIndexOf('.');
  const file = handlerSpec.slice(0, dot);
  const name = handlerSpec.slice(dot + 1);
  const candidate = ['.mjs', '.js', '.cjs'].map((ext) => join(taskRoot, file + ext)).find((p) => existsSync(p));
  if (!candidate) throw Object.assign(new Error(`Cannot find module '${file}'`), { name: 'Runtime.ImportModuleError' });
  const importIt = () => import(pathToFileURL(candidate).href) as Promise<Record<string, unknown>>;
  // require() sees every CommonJS export, also those import() cannot detect (computed keys, as in aws-cdk-lib's provider framework).
  const mod = candidate.endsWith('.mjs')
    ? await importIt()
    : await Promise.resolve()
        .then(() => createRequire(import.meta.url)(candidate) as Record<string, unknown>)
        .catch((e: NodeJS.ErrnoException) => (e.code === 'ERR_REQUIRE_ESM' || e.code === 'ERR_REQUIRE_ASYNC_MODULE' ? importIt() : Promise.reject(e)));
  const handler = mod[name];
  if (typeof handler !== 'function') throw Object.assign(new Error(`${handlerSpec} is undefined or not exported`), { name: 'Runtime.HandlerNotFound' });
  return handler as Handler;
}

const initStarted = performance.now();
let handler: Handler;
try {
  handler = await load();
} catch (e) {
  const d = describe(e);
  // As Lambda reports it: the import failure becomes the invocation's error, and the sandbox is discarded.
  const errorType = d.errorType.startsWith('Runtime.') ? d.errorType : 'Runtime.ImportModuleError';
  send({ type: 'init-error', error: { ...d, errorType, errorMessage: `${d.errorType}: ${d.errorMessage}` } });
  process.exit(1);
}
send({ type: 'ready', initMs: performance.now() - initStarted });

process.on('message', (m: Invoke) => {
  if (m.type !== 'invoke') return;
  const context = {
    ...lambdaContext(functionName, m.deadline - Date.now()),
    awsRequestId: m.requestId,
    memoryLimitInMB: String(memory),
    invokedFunctionArn: process.env.TRIBUTARY_ASSEMBLY_FUNCTION_ARN ?? '',
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME ?? '',
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME ?? '',
    getRemainingTimeInMillis: () => Math.max(0, m.deadline - Date.now()),
  };
  handler(m.event, context).then(
    (result) => send({ type: 'result', id: m.id, result: result ?? null }),
    (e: unknown) => send({ type: 'error', id: m.id, error: describe(e) }),
  );
});
