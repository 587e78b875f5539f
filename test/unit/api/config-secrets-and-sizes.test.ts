/**
 * The one secret rule (config-secrets.ts) and the encoding of large configs into DynamoDB part
 * items (large-config-items.ts), without a network.
 */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HIDDEN, hideSecrets, keepStoredSecrets, renderConfig, secretKeys } from '../../../lib/control/config-secrets.ts';
import { decodeConfig, decodeTaskConfigs, encodeConfig, encodeTaskConfigs, INLINE_BYTES, MAX_CONFIG_BYTES } from '../../../lib/store/large-config-items.ts';
import { ConfigTooLargeError } from '../../../lib/store/store-errors.ts';
import { SECRET_CONNECTOR, testRegistry } from './secret-plugin.ts';

const registry = testRegistry();

describe('the secret rule', () => {
  it('is the same for responses, error messages and kept secrets (it was three rules: validator, masking, herder)', () => {
    const config = { 'connector.class': SECRET_CONNECTOR, 'db.password': 'p4ss', 'api.token': 'tok', 'producer.override.sasl.jaas.config': 'jaas' };
    expect([...secretKeys(registry, config)].sort()).toEqual(['db.password', 'producer.override.sasl.jaas.config']);
    expect(renderConfig(registry, config)).toBe(`{connector.class=${SECRET_CONNECTOR}, db.password=${HIDDEN}, api.token=tok, producer.override.sasl.jaas.config=${HIDDEN}}`);
    expect(keepStoredSecrets(registry, { ...config, 'db.password': HIDDEN }, config)['db.password']).toBe('p4ss');
  });

  it('with no known connector definition, hides keys whose names hold secrets, everywhere alike', () => {
    const config = { topic: 't', 'db.password': 'p4ss', 'api.token': 'tok' };
    expect(hideSecrets(registry, config)).toEqual({ topic: 't', 'db.password': HIDDEN, 'api.token': HIDDEN });
    expect(renderConfig(registry, config)).not.toContain('p4ss');
  });

  it('shows placeholders as written', () => {
    expect(hideSecrets(registry, { 'connector.class': SECRET_CONNECTOR, 'db.password': '${env:X}' })['db.password']).toBe('${env:X}');
  });
});

describe('large configs in part items', () => {
  const table = 't';
  const pk = 'CONNECTOR#c';
  const items = (writes: ReturnType<typeof encodeConfig>['writes']) => writes.filter((w) => w.Put).map((w) => unmarshall(w.Put!.Item!));

  it('keeps small configs inline, exactly as before', () => {
    const e = encodeConfig(table, pk, { a: 'b' });
    expect(e).toEqual({ attrs: { config: { a: 'b' } }, writes: [], parts: 0 });
  });

  it('splits large configs, reads them back, and deletes the parts a smaller config no longer needs', () => {
    fc.assert(
      fc.property(fc.integer({ min: INLINE_BYTES, max: MAX_CONFIG_BYTES - 200 }), fc.constantFrom('x', 'é', '😀'), (size, ch) => {
        const config = { 'connector.class': 'FileStreamSource', pad: ch.repeat(Math.floor(size / Buffer.byteLength(ch))) };
        const e = encodeConfig(table, pk, config);
        expect(e.parts).toBeGreaterThan(0);
        expect(decodeConfig({ ...e.attrs }, items(e.writes))).toEqual(config);
        const tasks = [{ ...config, 'task.class': 'T' }, { ...config, pad: 'other' }];
        const t = encodeTaskConfigs(table, pk, tasks, config);
        expect(decodeTaskConfigs({ ...t.attrs }, items(t.writes), config)).toEqual(tasks);
        const shrunk = encodeConfig(table, pk, { a: 'b' }, e.parts);
        expect(shrunk.writes.filter((w) => w.Delete)).toHaveLength(e.parts);
      }),
      { numRuns: 20 },
    );
  });

  it('refuses a config past the limit with an error that states it', () => {
    expect(() => encodeConfig(table, pk, { pad: 'x'.repeat(MAX_CONFIG_BYTES) })).toThrow(ConfigTooLargeError);
    expect(() => encodeConfig(table, pk, { pad: 'x'.repeat(MAX_CONFIG_BYTES) })).toThrow(`up to ${MAX_CONFIG_BYTES} bytes`);
  });
});
