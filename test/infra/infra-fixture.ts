/**
 * Builds Tributary stacks for the infra tests without bundling: every function gets an
 * inline stub and the Fargate runner a registry image, so the tests depend neither on
 * functions/*.ts nor on Docker.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, CfnElement, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { Template } from 'aws-cdk-lib/assertions';
import { CURRENTLY_RECOMMENDED_FLAGS } from 'aws-cdk-lib/cx-api';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { z } from 'zod';
import { appContextSchema } from '../../infra/app-context.ts';
import { TributaryStack } from '../../infra/tributary-stack.ts';
import type { TributaryServiceProps } from '../../infra/constructs/tributary-service.ts';

export const STUB_CODE = lambda.Code.fromInline('export const handler = async () => ({});');
export const STUB_IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/node:24-alpine');

/** Test-only props: no bundling, no image build. */
export const STUB_SERVICE_PROPS = { functionCode: STUB_CODE, fargate: { image: STUB_IMAGE } } satisfies Partial<TributaryServiceProps>;

export function newApp(context: Record<string, unknown> = {}): App {
  return new App({
    outdir: mkdtempSync(path.join(tmpdir(), 'tributary-cdk-')),
    context: { ...CURRENTLY_RECOMMENDED_FLAGS, ...context },
  });
}

export interface BuiltStack {
  readonly app: App;
  readonly stack: TributaryStack;
  readonly template: Template;
}

export const TEST_BOOTSTRAP_SERVERS = 'b-1.kafka.test:9092,b-2.kafka.test:9092';

/** A TributaryStack from context-like settings (bootstrap servers preset), as `cdk synth` would build it. */
export function buildStack(settings: z.input<typeof appContextSchema> = {}, service: Partial<TributaryServiceProps> = STUB_SERVICE_PROPS): BuiltStack {
  const app = newApp();
  const parsed = appContextSchema.parse({ kafkaBootstrapServers: TEST_BOOTSTRAP_SERVERS, ...settings });
  const stack = new TributaryStack(app, 'Tributary', { settings: parsed, service });
  return { app, stack, template: Template.fromStack(stack) };
}

/** A resource's properties in the synthesized template: CloudFormation JSON, untyped. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests assert the shape of arbitrary CloudFormation JSON
export type CfnProps = Record<string, any>;

/** Every resource of a type, as [logicalId, resource] pairs. */
export function resourcesOf(template: Template, type: string): [string, { Properties: CfnProps }][] {
  return Object.entries(template.findResources(type)) as [string, { Properties: CfnProps }][];
}

/** The logical id of an L2 construct's CloudFormation resource (or of an L1 itself). */
export function logicalIdOf(construct: IConstruct): string {
  const resource = CfnElement.isCfnElement(construct) ? construct : construct.node.defaultChild;
  if (!resource || !CfnElement.isCfnElement(resource)) throw new Error(`${construct.node.path} has no CloudFormation resource`);
  return Stack.of(construct).getLogicalId(resource);
}
