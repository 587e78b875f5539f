/**
 * Fetch (v12–v17, the flexible versions) sent over @platformatic/kafka's public protocol API:
 * its request writers and connections, with a response parser of Tributary's own that keeps
 * each partition's record set as raw bytes for record-batch-decoder. The client's parser
 * reads every record into objects of its own first; see the decoder for why that matters.
 * The response layout is the protocol's; v12 names topics, v13 and later give their ids.
 */
import { fetchV12, fetchV13, fetchV14, fetchV15, fetchV16, fetchV17, ResponseError, type Reader } from '@platformatic/kafka';
import type { AbortedTransaction } from './record-batch-decoder.ts';

export const FETCH_API_KEY = 1;

type CreateRequest = typeof fetchV17.createRequest;

/** The Fetch versions read here, oldest first. */
export const FETCH_VERSIONS: readonly { readonly version: number; readonly createRequest: CreateRequest }[] = [fetchV12, fetchV13, fetchV14, fetchV15, fetchV16, fetchV17].map((m) => ({
  version: m.api.version,
  createRequest: m.createRequest as CreateRequest,
}));

/** A topic is named (v12) or identified (v13 and later). */
export const namesTopics = (version: number) => version <= 12;

export interface FetchedPartition {
  readonly partition: number;
  readonly errorCode: number;
  readonly highWatermark: bigint;
  readonly lastStableOffset: bigint;
  readonly abortedTransactions: readonly AbortedTransaction[] | null;
  /** The record set as sent: whole batches, the last one possibly cut short. */
  readonly records: Buffer | null;
}

export interface FetchedTopic {
  /** The topic's name (v12) or id (v13 and later), as the request gave it. */
  readonly topic: string;
  readonly partitions: readonly FetchedPartition[];
}

export interface RawFetchResponse {
  readonly responses: readonly FetchedTopic[];
}

/**
 * Parses a Fetch response; like the client's parsers it throws a ResponseError carrying the
 * response when the broker reported an error, at the top or for any partition.
 */
export function parseFetchResponse(_correlationId: number, apiKey: number, apiVersion: number, reader: Reader): RawFetchResponse {
  const errors: [string, [number, null]][] = [];
  reader.readInt32(); // throttle time
  const errorCode = reader.readInt16();
  if (errorCode !== 0) errors.push(['/', [errorCode, null]]);
  reader.readInt32(); // session id: Tributary's fetches are sessionless
  const responses = reader.readArray((r, i) => ({
    topic: namesTopics(apiVersion) ? r.readString() : r.readUUID(),
    partitions: r.readArray((r, j): FetchedPartition => {
      const partition = r.readInt32();
      const partitionError = r.readInt16();
      if (partitionError !== 0) errors.push([`/responses/${i}/partitions/${j}`, [partitionError, null]]);
      const highWatermark = r.readInt64();
      const lastStableOffset = r.readInt64();
      r.readInt64(); // log start offset
      const abortedTransactions = r.readNullableArray((r) => ({ producerId: r.readInt64(), firstOffset: r.readInt64() }));
      r.readInt32(); // preferred read replica: Tributary reads from leaders
      // COMPACT_RECORDS: length + 1, 0 for null.
      const size = r.readUnsignedVarInt() - 1;
      let records: Buffer | null = null;
      if (size > 0) {
        records = r.buffer.slice(r.position, r.position + size);
        r.skip(size);
      }
      r.readTaggedFields(); // diverging epoch, current leader, snapshot id
      return { partition, errorCode: partitionError, highWatermark, lastStableOffset, abortedTransactions, records };
    }, true, false),
  }));
  reader.readTaggedFields(); // node endpoints (v16 and later)
  const response: RawFetchResponse = { responses };
  if (errors.length) throw new ResponseError(apiKey, apiVersion, Object.fromEntries(errors), response);
  return response;
}
