/**
 * Apicurio's AvroConverter for Apache Connect workers, from Maven Central: the jars as a
 * Connect `plugin.path`, and its settings in Confluent mode (4-byte content ids, no headers),
 * so its bytes are what Confluent's AvroConverter writes. The benchmark gives it to Connect;
 * the Avro compatibility tests run it as Tributary's peer.
 */
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { APICURIO_AVRO_CONVERTER, KAFKA_BROKER, resolveJars } from './maven-resolver.ts';

/** The folders of the converter's jars and Kafka's, resolving them on first use. */
export async function avroConverterJars(): Promise<{ converter: string; kafka: string }> {
  const [converter, kafka] = await Promise.all([resolveJars(APICURIO_AVRO_CONVERTER), resolveJars(KAFKA_BROKER)]);
  return { converter, kafka };
}

/** A `plugin.path` for Apache Connect holding the converter as one plugin (its jars in one folder). */
export async function avroConverterPluginPath(workDir: string): Promise<string> {
  const { converter } = await avroConverterJars();
  const pluginPath = join(workDir, 'plugins');
  mkdirSync(pluginPath, { recursive: true });
  symlinkSync(converter, join(pluginPath, 'apicurio-avro-converter'));
  return pluginPath;
}

/** The converter's settings in Confluent mode, under a converter prefix (`value.converter`). */
export function avroConverterConfig(prefix: string, apicurioUrl: string): Record<string, string> {
  return {
    [prefix]: 'io.apicurio.registry.utils.converter.AvroConverter',
    [`${prefix}.apicurio.registry.url`]: apicurioUrl,
    [`${prefix}.apicurio.registry.auto-register`]: 'true',
    [`${prefix}.apicurio.registry.find-latest`]: 'true',
    [`${prefix}.apicurio.registry.as-confluent`]: 'true',
    [`${prefix}.apicurio.registry.use-id`]: 'contentId',
    [`${prefix}.apicurio.registry.headers.enabled`]: 'false',
  };
}
