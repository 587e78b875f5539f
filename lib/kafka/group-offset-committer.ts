/**
 * A simple consumer's offset commit (generation -1, no member, no join) in one round trip.
 *
 * Written by hand because the library's `Admin.alterConsumerGroupOffsets` looks the group's
 * coordinator up (a FindCoordinator round trip) before every OffsetCommit, and a sink task
 * commits every 20,000 records, waiting for each commit. The coordinator is kept per group
 * instead. Only the library's public API is used: `findCoordinator` and `listApis` of the admin
 * client, its connection pool, and the exported OffsetCommit requests.
 */
import {
  FindCoordinatorKeyTypes,
  findErrorBy,
  GenericError,
  offsetCommitV2,
  offsetCommitV3,
  offsetCommitV4,
  offsetCommitV5,
  offsetCommitV6,
  offsetCommitV7,
  offsetCommitV8,
  offsetCommitV9,
  type Admin,
  type AlterConsumerGroupOffsetsOptions,
  type Broker,
} from '@platformatic/kafka';
import { newestSpoken } from './platformatic-client-options.ts';

type OffsetCommitApi = typeof offsetCommitV9.api;

const OFFSET_COMMIT_KEY = offsetCommitV9.api.key;

/**
 * The library's OffsetCommit versions, all with the same arguments. v0 and v1 are left out: v0
 * writes to ZooKeeper and both predate every broker Tributary runs on (2.8 has v0–v8, 4.x v2–v9+).
 */
const OFFSET_COMMIT_VERSIONS: readonly OffsetCommitApi[] = [offsetCommitV2, offsetCommitV3, offsetCommitV4, offsetCommitV5, offsetCommitV6, offsetCommitV7, offsetCommitV8, offsetCommitV9].map((m) => m.api);

/** A library error every part of which may be retried; never a programming error. */
const retriable = (e: unknown) => e instanceof Error && GenericError.isGenericError(e) && !findErrorBy(e, 'canRetry', false);

/** Commits a group's offsets as a simple consumer, to the group's coordinator as last found. */
export class GroupOffsetCommitter {
  private readonly coordinators = new Map<string, Broker>();
  /** The newest OffsetCommit both sides speak, once known; null when there is none (the library's call is used). */
  private version: OffsetCommitApi | null | undefined;

  constructor(private readonly admin: Admin) {}

  /**
   * Commits the offsets as `alterConsumerGroupOffsets` does, with the same errors: the broker's
   * refusal while the group has live members among them. A retriable failure (the coordinator
   * moved or is loading, its connection broke) forgets the coordinator and hands the commit to the
   * library's call, which looks it up afresh and retries within the client's retry budget.
   */
  async commit(options: AlterConsumerGroupOffsetsOptions): Promise<void> {
    try {
      const api = await this.negotiate();
      const coordinator = api && (await this.coordinator(options.groupId));
      if (api && coordinator) return await this.send(api, coordinator, options);
    } catch (e) {
      if (!retriable(e)) throw e;
      this.coordinators.delete(options.groupId);
    }
    await this.admin.alterConsumerGroupOffsets(options);
  }

  private async coordinator(groupId: string): Promise<Broker | undefined> {
    const known = this.coordinators.get(groupId);
    if (known) return known;
    const found = (await this.admin.findCoordinator({ keyType: FindCoordinatorKeyTypes.GROUP, keys: [groupId] })).find((c) => c.key === groupId);
    if (!found) return undefined;
    const broker = { host: found.host, port: found.port };
    this.coordinators.set(groupId, broker);
    return broker;
  }

  private async send(api: OffsetCommitApi, coordinator: Broker, { groupId, topics }: AlterConsumerGroupOffsetsOptions): Promise<void> {
    const connection = await this.admin.connections.get(coordinator);
    const requestTopics = topics.map((t) => ({
      name: t.name,
      partitions: t.partitionOffsets.map((p) => ({ partitionIndex: p.partition, committedOffset: p.offset, committedLeaderEpoch: -1, committedMetadata: null })),
    }));
    await api.async(connection, groupId, -1, '', null, requestTopics);
  }

  /** Asks the broker once which OffsetCommit versions it takes, again after a failed ask (the client shares concurrent asks). */
  private async negotiate(): Promise<OffsetCommitApi | undefined> {
    if (this.version === undefined) this.version = (await newestSpoken(this.admin, OFFSET_COMMIT_KEY, OFFSET_COMMIT_VERSIONS)) ?? null;
    return this.version ?? undefined;
  }
}
