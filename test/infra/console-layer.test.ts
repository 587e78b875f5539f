/** The web console on AWS: its files as a layer on the API function, which serves them under /ui. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildStack, resourcesOf, STUB_SERVICE_PROPS } from './infra-fixture.ts';

function consoleBuild(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tributary-console-build-'));
  mkdirSync(path.join(dir, 'ui', 'assets'), { recursive: true });
  writeFileSync(path.join(dir, 'ui', 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(path.join(dir, 'ui', 'assets', 'index.js'), 'export {};');
  return dir;
}

function apiFunction(template: ReturnType<typeof buildStack>['template']) {
  const fns = resourcesOf(template, 'AWS::Lambda::Function').filter(([, r]) => r.Properties.Description === 'Tributary Kafka Connect REST API');
  expect(fns).toHaveLength(1);
  return (fns[0] as (typeof fns)[number])[1].Properties;
}

describe('web console assets', { timeout: 60_000 }, () => {
  it('attaches the console build as a layer to the API function and tells it where the files are', () => {
    const { template } = buildStack({}, { ...STUB_SERVICE_PROPS, consoleAssets: consoleBuild() });
    const layers = resourcesOf(template, 'AWS::Lambda::LayerVersion');
    expect(layers).toHaveLength(1);
    const [layerId, layer] = layers[0] as (typeof layers)[number];
    expect(layer.Properties.CompatibleRuntimes).toEqual(['nodejs24.x']);
    expect(layer.Properties.CompatibleArchitectures).toEqual(['arm64']);
    const fn = apiFunction(template);
    expect(fn.Layers).toEqual([{ Ref: layerId }]);
    expect(fn.Environment.Variables.CONSOLE_DIR).toBe('/opt/ui');
    // Only the API function serves it: the runners and the control functions carry no console.
    const others = resourcesOf(template, 'AWS::Lambda::Function').filter(([, r]) => r.Properties.Description !== 'Tributary Kafka Connect REST API');
    expect(others.some(([, r]) => r.Properties.Layers !== undefined)).toBe(false);
  });

  it('deploys no console when told not to', () => {
    const { template } = buildStack({}, { ...STUB_SERVICE_PROPS, consoleAssets: false });
    expect(resourcesOf(template, 'AWS::Lambda::LayerVersion')).toEqual([]);
    expect(apiFunction(template).Environment.Variables.CONSOLE_DIR).toBeUndefined();
  });

  it('warns at synth and serves no /ui when the console was not built', () => {
    const { stack, template } = buildStack({}, { ...STUB_SERVICE_PROPS, consoleAssets: mkdtempSync(path.join(tmpdir(), 'tributary-no-console-')) });
    expect(resourcesOf(template, 'AWS::Lambda::LayerVersion')).toEqual([]);
    expect(apiFunction(template).Environment.Variables.CONSOLE_DIR).toBeUndefined();
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('No web console build'));
  });
});
