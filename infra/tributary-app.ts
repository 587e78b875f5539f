/**
 * The CDK app as `cdk synth` builds it: the `tributary:` context keys read into one
 * TributaryStack, checked against cdk-nag's AwsSolutions pack. infra/app.ts synthesizes it
 * as is; an app that adds its own constructs (connectors as code) starts from it too.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readAppContext } from './app-context.ts';
import { TributaryStack } from './tributary-stack.ts';

export function tributaryApp(app = new App()): { app: App; stack: TributaryStack } {
  const settings = readAppContext(app.node, Object.keys(app.node.getAllContext()));
  const stack = new TributaryStack(app, settings.stackName, {
    settings,
    description: 'Tributary: Kafka Connect without a worker cluster',
  });
  // cdk-nag v3 is a policy-validation plugin (v2's Aspects.of(app).add(...) is gone): any
  // unacknowledged AwsSolutions finding, error or warning, fails the synth.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack };
}
