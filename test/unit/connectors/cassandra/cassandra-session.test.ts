import { errors, types } from 'cassandra-driver';
import { beforeAll, describe, expect, it } from 'vitest';
import { cassandraDriver, classify, contactPoints } from '../../../../lib/connectors/cassandra/cassandra-session.ts';

const props = { contactPoints: 'db1,db2:9142', port: '9043', 'auth.provider': 'PLAIN', 'auth.username': 'app', 'auth.password': 's3cret' };

describe('contactPoints', () => {
  it('applies the port key to hosts given without one; no hosts means the local node', () => {
    expect(contactPoints(props)).toEqual(['db1:9043', 'db2:9142']);
    expect(contactPoints({})).toEqual(['127.0.0.1:9042']);
  });
});

describe('classify', () => {
  // The errors below are the driver's own, so it is loaded, as a session would have loaded it.
  beforeAll(() => cassandraDriver.load());

  it('retries what a later attempt can get through: unreachable nodes, timeouts, unavailable and overloaded answers', () => {
    const cases = [
      new errors.NoHostAvailableError({ 'db1:9043': Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:9043'), { code: 'ECONNREFUSED' }) }),
      new errors.OperationTimedOutError('The host db1:9043 did not reply before timeout 30000 ms'),
      new errors.ResponseError(types.responseErrorCodes.unavailableException, 'Cannot achieve consistency level QUORUM'),
      new errors.ResponseError(types.responseErrorCodes.writeTimeout, 'Operation timed out - received only 0 responses.'),
      new errors.ResponseError(types.responseErrorCodes.overloaded, 'Server is overloaded'),
    ];
    for (const e of cases) expect(classify(e, props), e.message).toMatchObject({ name: 'CassandraConnectionError', retriable: true });
    expect(classify(cases[0], props).message).toBe('Cannot reach Cassandra at db1:9043, db2:9142: db1:9043: connect ECONNREFUSED 10.0.0.1:9043');
  });

  it('fails at once on refused credentials, a missing data center, a rejected statement or a value that does not fit', () => {
    const badCredentials = new errors.NoHostAvailableError({ 'db1:9043': new errors.AuthenticationError('Provided username app and/or password are incorrect') });
    expect(classify(badCredentials, props)).toMatchObject({ name: 'CassandraAuthenticationError', retriable: false, key: 'auth.password' });
    expect(classify(badCredentials, props).message).not.toContain('s3cret');
    expect(classify(badCredentials, { ...props, 'auth.provider': 'None' })).toMatchObject({ key: 'auth.provider' });
    const dc = new errors.NoHostAvailableError({ 'db1:9043': new errors.ArgumentError("localDataCenter was configured as 'dc9', but only found hosts in data centers: [dc1]") });
    expect(classify(dc, props)).toMatchObject({ retriable: false, key: 'loadBalancing.localDc' });
    expect(classify(new errors.ResponseError(types.responseErrorCodes.invalid, 'unconfigured table orders'), props)).toMatchObject({ name: 'CassandraWriteError', retriable: false });
    expect(classify(new TypeError('Not a valid BigInt value, obtained "x"'), props)).toMatchObject({ name: 'CassandraWriteError', retriable: false });
  });
});
