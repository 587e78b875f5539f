/**
 * The assembly test's scratch CDK app: the app of cdk.json (infra/tributary-app.ts), plus the
 * connectors the test declares as code, given as JSON in the `assembly:connectors` context key
 * (the test owns their names, files and topics). `cdk synth --app` runs it with cdk.json's
 * feature flags and cdk-nag, so the custom resource, its provider and its handler bundle are
 * synthesized and checked as a user's app would have them.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { TributaryConnector } from '../../../infra/constructs/tributary-connector.ts';
import { tributaryApp } from '../../../infra/tributary-app.ts';
import { DECLARED_CONNECTORS_CONTEXT, type DeclaredConnectorSpec } from './cloud-assembly.ts';

const { app, stack } = tributaryApp();
const declared = JSON.parse(String(app.node.tryGetContext(DECLARED_CONNECTORS_CONTEXT) ?? '[]')) as DeclaredConnectorSpec[];
for (const c of declared) {
  new TributaryConnector(stack, c.id, {
    service: stack.service,
    name: c.name,
    config: c.config,
    state: c.state,
    removalPolicy: c.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
}
app.synth();
