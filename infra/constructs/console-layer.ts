/**
 * The web console on AWS: its built files (console/dist/ui) as a Lambda layer on the API
 * function, which serves them under `/ui` behind the API's IAM auth. A browser reaches them
 * through `tributary proxy`, which signs every request, the console's API calls included.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Annotations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { FUNCTION_RUNTIME, REPO_ROOT } from './tributary-function.ts';

/** Where Lambda mounts the layer's `ui/` folder. */
export const CONSOLE_LAYER_DIR = '/opt/ui';

/** The console build of this checkout (`npm ci`'s prepare step writes it). */
export const DEFAULT_CONSOLE_ASSETS = path.join(REPO_ROOT, 'console', 'dist');

/** The layer, or undefined (with a synth warning) when `assets` holds no built console. */
export function consoleLayer(scope: Construct, id: string, assets: string | false = DEFAULT_CONSOLE_ASSETS): lambda.LayerVersion | undefined {
  if (assets === false) return undefined;
  if (!existsSync(path.join(assets, 'ui', 'index.html'))) {
    Annotations.of(scope).addWarningV2('tributary:console-missing', `No web console build in ${assets}/ui (npm run build:console); the API serves no /ui`);
    return undefined;
  }
  return new lambda.LayerVersion(scope, id, {
    code: lambda.Code.fromAsset(assets),
    description: 'Tributary web console: static files under /opt/ui',
    compatibleRuntimes: [FUNCTION_RUNTIME],
    compatibleArchitectures: [lambda.Architecture.ARM_64],
  });
}
