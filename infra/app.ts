/**
 * The CDK app (`cdk synth` / `cdk deploy`): reads the `tributary:` context keys, builds one
 * TributaryStack, and checks it against cdk-nag's AwsSolutions pack. The stack is
 * environment-agnostic, so synth needs no AWS account and no network.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readAppContext } from './app-context.ts';
import { TributaryStack } from './tributary-stack.ts';

const app = new App();
const settings = readAppContext(app.node, Object.keys(app.node.getAllContext()));
new TributaryStack(app, settings.stackName, {
  settings,
  description: 'Tributary: Kafka Connect without a worker cluster',
});
// cdk-nag v3 is a policy-validation plugin (v2's Aspects.of(app).add(...) is gone): any
// unacknowledged AwsSolutions finding, error or warning, fails the synth.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();
