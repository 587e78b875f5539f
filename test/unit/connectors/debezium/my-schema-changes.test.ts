/** Debezium's MySQL/MariaDB schema change events: which table a DDL statement changes, and the record's shape. */
import { describe, expect, it } from 'vitest';
import { ddlTarget, schemaChangeRecord } from '../../../../lib/connectors/debezium-mysql/my-schema-changes.ts';
import { mySource } from '../../../../lib/connectors/debezium-mysql/my-tables.ts';
import { parseMySettings } from '../../../../lib/connectors/debezium-mysql/my-config.ts';
import type { Struct } from '../../../../lib/plugins/connect-schema.ts';

describe('ddlTarget', () => {
  it('names the table and database of CREATE, ALTER and DROP TABLE, quoted or not', () => {
    expect(ddlTarget('ALTER TABLE types ADD COLUMN extra int', 'shop')).toEqual({ type: 'ALTER', db: 'shop', table: 'types' });
    expect(ddlTarget('create table if not exists `my db`.`a``b` (id int)', 'x')).toEqual({ type: 'CREATE', db: 'my db', table: 'a`b' });
    expect(ddlTarget('DROP TABLE IF EXISTS shop . orders', '')).toEqual({ type: 'DROP', db: 'shop', table: 'orders' });
    expect(ddlTarget('CREATE TEMPORARY TABLE t (a int)', 'd')).toEqual({ type: 'CREATE', db: 'd', table: 't' });
  });

  it('gives nothing for statements on no table', () => {
    expect(ddlTarget('CREATE DATABASE shop', '')).toBeNull();
    expect(ddlTarget('CREATE INDEX i ON t (a)', 'd')).toBeNull();
    expect(ddlTarget('GRANT SELECT ON *.* TO u', 'd')).toBeNull();
  });
});

describe('schemaChangeRecord', () => {
  it('writes Debezium\'s key and value on the topic.prefix topic, with the table as the catalog describes it', () => {
    const s = parseMySettings({ 'database.hostname': 'h', 'database.user': 'u', 'topic.prefix': 'srv' }, 'mariadb');
    const source = mySource(s, { db: 'shop', table: 'items' }, { tsMs: 1000, snapshot: 'false', file: 'binlog.000001', pos: 4, row: 0, serverId: 1, gtid: '0-1-7' });
    const columns = [
      { name: 'id', dataType: 'int', columnType: 'int(11)', precision: 10, scale: 0, datetimePrecision: null, notNull: true, autoIncrement: true, charset: null, comment: '', defaultValue: null },
      { name: 'mood', dataType: 'enum', columnType: "enum('a','b')", precision: null, scale: null, datetimePrecision: null, notNull: false, charset: 'utf8mb4', comment: 'feeling', defaultValue: 'a' },
      { name: 'price', dataType: 'decimal', columnType: 'decimal(10,2)', precision: 10, scale: 2, datetimePrecision: null, notNull: false },
    ];
    const r = schemaChangeRecord({
      flavor: 'mariadb',
      topicPrefix: 'srv',
      databaseName: 'shop',
      ddl: 'ALTER TABLE items ADD COLUMN price decimal(10,2)',
      change: { type: 'ALTER', db: 'shop', table: 'items', structure: { db: 'shop', table: 'items', columns, keyColumns: ['id'], defaultCharset: 'latin1', comment: null } },
      source,
      partition: { server: 'srv' },
      offset: { file: 'binlog.000001', pos: 100 },
    });
    expect(r.topic).toBe('srv');
    expect(r.keySchema?.name).toBe('io.debezium.connector.mariadb.SchemaChangeKey');
    expect((r.key as Struct).get('databaseName')).toBe('shop');
    expect(r.valueSchema?.name).toBe('io.debezium.connector.mariadb.SchemaChangeValue');
    const value = r.value as Struct;
    expect(value.get('ddl')).toBe('ALTER TABLE items ADD COLUMN price decimal(10,2)');
    const [change] = value.get('tableChanges') as Struct[];
    expect(change?.get('type')).toBe('ALTER');
    expect(change?.get('id')).toBe('"shop"."items"');
    const table = change?.get('table') as Struct;
    expect(table.get('primaryKeyColumnNames')).toEqual(['id']);
    const cols = (table.get('columns') as Struct[]).map((c) => ({ name: c.get('name'), jdbcType: c.get('jdbcType'), typeName: c.get('typeName'), length: c.get('length'), scale: c.get('scale'), position: c.get('position'), optional: c.get('optional'), autoIncremented: c.get('autoIncremented'), enumValues: c.get('enumValues'), defaultValueExpression: c.get('defaultValueExpression') }));
    expect(cols).toEqual([
      { name: 'id', jdbcType: 4, typeName: 'INT', length: 11, scale: null, position: 1, optional: false, autoIncremented: true, enumValues: null, defaultValueExpression: null },
      { name: 'mood', jdbcType: 1, typeName: 'ENUM', length: 1, scale: null, position: 2, optional: true, autoIncremented: false, enumValues: ["'a'", "'b'"], defaultValueExpression: 'a' },
      { name: 'price', jdbcType: 3, typeName: 'DECIMAL', length: 10, scale: 2, position: 3, optional: true, autoIncremented: false, enumValues: null, defaultValueExpression: null },
    ]);
  });
});
