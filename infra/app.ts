/**
 * The CDK app (`cdk synth` / `cdk deploy`): one TributaryStack from the `tributary:` context
 * keys, checked against cdk-nag's AwsSolutions pack (see tributary-app.ts). The stack is
 * environment-agnostic, so synth needs no AWS account and no network.
 */
import { tributaryApp } from './tributary-app.ts';

tributaryApp().app.synth();
