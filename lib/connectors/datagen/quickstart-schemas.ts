/**
 * The built-in `quickstart` schemas, with the fields and value ranges of Confluent's datagen
 * quickstarts (orders, users, pageviews), written in the JSON Schema subset of datagen-schema.ts.
 */

export interface Quickstart {
  /** Connect schema name, as Confluent's AvroData names them. */
  readonly schemaName: string;
  /** The field used as the record key. */
  readonly keyField: string;
  readonly schema: Record<string, unknown>;
}

const str = (pattern: string) => ({ type: 'string', pattern });

export const QUICKSTARTS: Readonly<Record<string, Quickstart>> = {
  orders: {
    schemaName: 'ksql.orders',
    keyField: 'orderid',
    schema: {
      type: 'object',
      properties: {
        ordertime: { type: 'integer', minimum: 1487715775521, maximum: 1519273364600 },
        orderid: { type: 'integer', format: 'int32', iteration: { start: 0 } },
        itemid: str('Item_[1-9][0-9]{0,2}'),
        orderunits: { type: 'number', minimum: 0.1, maximum: 10 },
        address: {
          type: 'object',
          title: 'ksql.address',
          properties: {
            city: str('City_[1-9][0-9]?'),
            state: str('State_[1-9][0-9]?'),
            zipcode: { type: 'integer', minimum: 10000, maximum: 99999 },
          },
        },
      },
    },
  },
  users: {
    schemaName: 'ksql.users',
    keyField: 'userid',
    schema: {
      type: 'object',
      properties: {
        registertime: { type: 'integer', minimum: 1487715775521, maximum: 1519273364600 },
        userid: str('User_[1-9]'),
        regionid: str('Region_[1-9]'),
        gender: { type: 'string', enum: ['MALE', 'FEMALE', 'OTHER'] },
      },
    },
  },
  pageviews: {
    schemaName: 'ksql.pageviews',
    keyField: 'viewtime',
    schema: {
      type: 'object',
      properties: {
        viewtime: { type: 'integer', iteration: { start: 1, step: 10 } },
        userid: str('User_[1-9]'),
        pageid: str('Page_[1-9][0-9]?'),
      },
    },
  },
};

export const QUICKSTART_NAMES = Object.keys(QUICKSTARTS);
