import { describe, expect, it } from 'vitest';
import { decimalSchema } from '../../../../lib/connectors/jdbc/column-type-mapper.ts';
import { parseSinkSettings } from '../../../../lib/connectors/jdbc/jdbc-sink-config.ts';
import { MysqlDialect } from '../../../../lib/connectors/jdbc/mysql-dialect.ts';
import { PostgresDialect } from '../../../../lib/connectors/jdbc/postgres-dialect.ts';
import { bindValue, fieldsMetadata } from '../../../../lib/connectors/jdbc/sink-record-mapper.ts';
import { planSegments, segmentStatements, tableFor } from '../../../../lib/connectors/jdbc/sink-statement-planner.ts';
import type { SinkRecord } from '../../../../lib/plugins/connect-record.ts';
import { Decimal } from '../../../../lib/converters/logical-types.ts';
import { DataError, LOGICAL, SchemaBuilder, Schemas, Struct } from '../../../../lib/plugins/connect-schema.ts';

const pg = new PostgresDialect();
const my = new MysqlDialect();
const table = { table: 'accounts' };
const VALUE = SchemaBuilder.struct().field('id', Schemas.INT32).field('name', Schemas.OPTIONAL_STRING).field('balance', decimalSchema(2, 10, false)).build();

function rec(id: number, name: string | null, offset = id): SinkRecord {
  return {
    topic: 'accounts',
    kafkaPartition: 0,
    kafkaOffset: offset,
    keySchema: Schemas.INT32,
    key: id,
    valueSchema: name === null ? null : VALUE,
    value: name === null ? null : new Struct(VALUE).put('id', id).put('name', name).put('balance', '1.00'),
  };
}

const settings = (extra: Record<string, string>) => parseSinkSettings({ 'connection.url': 'jdbc:postgresql://h/db', name: 'sink', ...extra });

describe('dialect statements', () => {
  it('PostgreSQL upsert is INSERT .. ON CONFLICT .. DO UPDATE', () => {
    expect(pg.upsert(table, ['id'], ['name', 'balance'], 2)).toBe(
      'INSERT INTO "accounts" ("id","name","balance") VALUES ($1,$2,$3),($4,$5,$6) ON CONFLICT ("id") DO UPDATE SET "name"=EXCLUDED."name","balance"=EXCLUDED."balance"',
    );
    expect(pg.upsert(table, ['id'], [], 1)).toBe('INSERT INTO "accounts" ("id") VALUES ($1) ON CONFLICT ("id") DO NOTHING');
  });

  it('MySQL upsert is INSERT .. ON DUPLICATE KEY UPDATE', () => {
    expect(my.upsert({ catalog: 'shop', table: 'accounts' }, ['id'], ['name'], 2)).toBe(
      'INSERT INTO `shop`.`accounts` (`id`,`name`) VALUES (?,?),(?,?) ON DUPLICATE KEY UPDATE `name`=VALUES(`name`)',
    );
  });

  it('update and delete by key', () => {
    expect(pg.update(table, ['a', 'b'], ['x'])).toBe('UPDATE "accounts" SET "x" = $1 WHERE "a" = $2 AND "b" = $3');
    expect(my.deleteByKeys(table, ['id'], 3)).toBe('DELETE FROM `accounts` WHERE (`id`) IN ((?),(?),(?))');
  });

  it('CREATE TABLE maps Connect schemas per dialect, keys NOT NULL, with a primary key', () => {
    const cols = [
      { name: 'id', schema: Schemas.STRING, isKey: true },
      { name: 'amount', schema: decimalSchema(2, 10, true), isKey: false },
      { name: 'at', schema: new SchemaBuilder('INT64').name(LOGICAL.timestamp).build(), isKey: false },
      { name: 'n', schema: new SchemaBuilder('INT32').defaultValue(5).build(), isKey: false },
    ];
    expect(pg.createTable(table, cols)).toBe(
      'CREATE TABLE "accounts" (\n"id" TEXT NOT NULL,\n"amount" DECIMAL NULL,\n"at" TIMESTAMP NOT NULL,\n"n" INT DEFAULT 5 NOT NULL,\nPRIMARY KEY("id"))',
    );
    expect(my.createTable(table, cols)).toBe(
      'CREATE TABLE `accounts` (\n`id` VARCHAR(255) NOT NULL,\n`amount` DECIMAL(65,2) NULL,\n`at` DATETIME(3) NOT NULL,\n`n` INT DEFAULT 5 NOT NULL,\nPRIMARY KEY(`id`))',
    );
    expect(pg.addColumns(table, [{ name: 'email', schema: Schemas.OPTIONAL_STRING, isKey: false }])).toBe('ALTER TABLE "accounts" ADD "email" TEXT NULL');
  });

  it('table.name.format puts the topic in and may qualify the table', () => {
    expect(tableFor('orders', 'kafka_${topic}', pg)).toEqual({ table: 'kafka_orders' });
    expect(tableFor('orders', 'sales.${topic}', pg)).toEqual({ schema: 'sales', table: 'orders' });
  });
});

describe('planning a batch', () => {
  it('upsert keeps the last record per key, so redelivered records write one row each', () => {
    const s = settings({ 'insert.mode': 'upsert', 'pk.mode': 'record_key', 'pk.fields': 'id' });
    const segs = planSegments([rec(1, 'a'), rec(2, 'b'), rec(1, 'a2'), rec(2, 'b')], s, pg);
    expect(segs).toHaveLength(1);
    const [st] = segmentStatements(segs[0] as never, s, pg, 'UTC');
    expect(st?.params).toEqual([1, 'a2', '1.00', 2, 'b', '1.00']);
  });

  it('deletes split the batch so writes and deletes apply in order', () => {
    const s = settings({ 'insert.mode': 'upsert', 'pk.mode': 'record_key', 'pk.fields': 'id', 'delete.enabled': 'true' });
    const segs = planSegments([rec(1, 'a'), rec(1, null), rec(2, null), rec(1, 'again')], s, pg);
    expect(segs.map((x) => [x.op, x.records.length])).toEqual([
      ['write', 1],
      ['delete', 2],
      ['write', 1],
    ]);
    expect(segmentStatements(segs[1] as never, s, pg, 'UTC')).toEqual([{ sql: 'DELETE FROM "accounts" WHERE ("id") IN (($1),($2))', params: [1, 2] }]);
  });

  it('insert chunks by batch.size', () => {
    const s = settings({ 'batch.size': '2' });
    const [seg] = planSegments([rec(1, 'a'), rec(2, 'b'), rec(3, 'c')], s, my);
    expect(segmentStatements(seg as never, s, my, 'UTC').map((x) => x.params.length)).toEqual([6, 3]);
  });

  it('fields.whitelist limits written columns; pk.fields picks key columns from the value', () => {
    const s = settings({ 'pk.mode': 'record_value', 'pk.fields': 'id', 'fields.whitelist': 'name' });
    const meta = fieldsMetadata('accounts', rec(1, 'a'), s);
    expect(meta.keyColumns.map((c) => c.name)).toEqual(['id']);
    expect(meta.valueColumns.map((c) => c.name)).toEqual(['name']);
  });

  it('a primitive key needs exactly one pk.fields name', () => {
    const s = settings({ 'pk.mode': 'record_key' });
    expect(() => fieldsMetadata('accounts', rec(1, 'a'), s)).toThrow(new DataError('Need exactly one PK column defined since the key schema for records is a primitive type, defined columns are: '));
  });
});

describe('binding values', () => {
  it('writes logical types as text the databases parse, in db.timezone', () => {
    const ts = new SchemaBuilder('INT64').name(LOGICAL.timestamp).build();
    expect(bindValue(new Date(Date.UTC(2024, 0, 1, 12)), ts, 'at', 'Asia/Tokyo')).toBe('2024-01-01 21:00:00.000000');
    expect(bindValue(new Date(Date.UTC(2024, 1, 3)), new SchemaBuilder('INT32').name(LOGICAL.date).build(), 'd', 'UTC')).toBe('2024-02-03');
    expect(bindValue(Buffer.from([0xff, 0x85]), decimalSchema(2, 0, false), 'x', 'UTC')).toBe('-1.23');
    // JsonConverter hands Decimal objects to sinks.
    expect(bindValue(new Decimal(-12345n, 2), decimalSchema(2, 0, false), 'x', 'UTC')).toBe('-123.45');
    expect(bindValue(new Decimal(5n, 0), decimalSchema(0, 0, false), 'x', 'UTC')).toBe('5');
    expect(bindValue(2n ** 63n - 1n, Schemas.INT64, 'x', 'UTC')).toBe('9223372036854775807');
    expect(() => bindValue([1], SchemaBuilder.array(Schemas.INT32).build(), 'tags', 'UTC')).toThrow(/Field tags has schema type ARRAY/);
  });
});

describe('sink config checks', () => {
  it('delete.enabled requires pk.mode record_key; upsert requires a key', () => {
    expect(() => settings({ 'delete.enabled': 'true' })).toThrow("Primary key mode must be 'record_key' when delete support is enabled");
    expect(() => settings({ 'insert.mode': 'upsert' })).toThrow(/insert.mode upsert needs primary key columns/);
    expect(() => settings({ 'pk.mode': 'kafka', 'pk.fields': 'a,b' })).toThrow(/exactly 3/);
  });
});
