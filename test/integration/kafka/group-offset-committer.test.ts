/**
 * Group-less offset commits sent straight to the group's coordinator (GroupOffsetCommitter) on a
 * real broker: read back by an independent client, one coordinator lookup for many commits, a
 * connection closed under the cached coordinator recovered, and a group with a live member still
 * refusing the commit.
 */
import { Admin, Consumer, FindCoordinatorKeyTypes, MessagesStreamModes } from '@platformatic/kafka';
import { afterAll, describe, expect, inject, it, vi } from 'vitest';
import { KafkaPortError } from '../../../lib/kafka/kafka-port.ts';
import { GroupOffsetCommitter } from '../../../lib/kafka/group-offset-committer.ts';
import { PlatformaticKafka } from '../../../lib/kafka/platformatic-adapter.ts';
import { baseClientOptions } from '../../../lib/kafka/platformatic-client-options.ts';
import { testKafka } from '../../support/kafka-helpers.ts';
import { uniqueName } from '../../support/local-host-process.ts';

const kafkaBootstrap = inject('kafkaBootstrap');

const offsets = (topic: string, byPartition: readonly number[]) => [{ name: topic, partitionOffsets: byPartition.map((offset, partition) => ({ partition, offset: BigInt(offset) })) }];

describe('GroupOffsetCommitter', () => {
  const check = testKafka(kafkaBootstrap);
  const closers: (() => Promise<unknown>)[] = [];
  const admin = () => {
    const a = new Admin(baseClientOptions({ clientId: 'tributary-test', bootstrapBrokers: [kafkaBootstrap] }));
    closers.push(() => a.close());
    return a;
  };

  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    await check.close();
  });

  it('commits what an independent client reads back, going straight to the known coordinator', async () => {
    const topic = uniqueName('committer');
    const group = uniqueName('connect-committer');
    await check.createTopics([topic], 2);
    // On a fresh broker the coordinator may still be loading the group's partition: an
    // independent client's commit waits that out first.
    await check.admin().alterConsumerGroupOffsets({ groupId: group, topics: offsets(topic, [0, 0]) });
    const client = admin();
    const committer = new GroupOffsetCommitter(client);
    await committer.commit({ groupId: group, topics: offsets(topic, [0, 0]) });
    const lookups = vi.spyOn(client, 'findCoordinator');
    const libraryCommits = vi.spyOn(client, 'alterConsumerGroupOffsets');
    for (const n of [1, 2, 3]) {
      await committer.commit({ groupId: group, topics: offsets(topic, [n, 10 * n]) });
      expect(await check.committedOffsets(group, topic)).toEqual([
        { partition: 0, offset: n },
        { partition: 1, offset: 10 * n },
      ]);
    }
    expect(lookups).not.toHaveBeenCalled();
    expect(libraryCommits).not.toHaveBeenCalled();
  });

  it('recovers when the cached coordinator\'s connection is closed under it', async () => {
    const topic = uniqueName('committer-closed');
    const group = uniqueName('connect-committer');
    await check.createTopics([topic]);
    const client = admin();
    const committer = new GroupOffsetCommitter(client);
    await committer.commit({ groupId: group, topics: offsets(topic, [5]) });
    const [coordinator] = await client.findCoordinator({ keyType: FindCoordinatorKeyTypes.GROUP, keys: [group] });
    const connection = client.connections.getEstablishedConnection(coordinator!);
    expect(connection?.isConnected()).toBe(true);
    const lookups = vi.spyOn(client, 'findCoordinator');
    const libraryCommits = vi.spyOn(client, 'alterConsumerGroupOffsets');
    // Closing, not yet closed: the pool still hands this connection out, and the commit on it fails.
    const closed = connection!.close();
    await committer.commit({ groupId: group, topics: offsets(topic, [7]) });
    await closed;
    expect(libraryCommits).toHaveBeenCalledTimes(1);
    expect(await check.committedOffsets(group, topic)).toEqual([{ partition: 0, offset: 7 }]);
    // The coordinator was forgotten: the next commit looks it up again, then goes straight to it.
    await committer.commit({ groupId: group, topics: offsets(topic, [9]) });
    await committer.commit({ groupId: group, topics: offsets(topic, [11]) });
    expect(lookups).toHaveBeenCalledTimes(1);
    expect(libraryCommits).toHaveBeenCalledTimes(1);
    expect(await check.committedOffsets(group, topic)).toEqual([{ partition: 0, offset: 11 }]);
  });

  it('still refuses a commit while the group has a live member, as a non-retriable port error', async () => {
    const topic = uniqueName('committer-member');
    const group = uniqueName('connect-committer');
    await check.createTopics([topic]);
    const consumer = new Consumer({ clientId: 'tributary-test', bootstrapBrokers: [kafkaBootstrap], groupId: group, autocommit: false });
    closers.push(() => consumer.close(true));
    const stream = await consumer.consume({ topics: [topic], mode: MessagesStreamModes.LATEST });
    closers.push(() => stream.close());
    const kafka = new PlatformaticKafka({ clientId: 'tributary-test', bootstrapBrokers: [kafkaBootstrap] });
    closers.push(() => kafka.close());
    const port = await kafka.admin();
    const refused = await port.commitOffsets(group, [{ topic, partition: 0, offset: 1 }]).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(KafkaPortError);
    expect((refused as KafkaPortError).retriable).toBe(false);
    expect((refused as KafkaPortError).message).toMatch(/UNKNOWN_MEMBER_ID|not aware of this member|ILLEGAL_GENERATION/i);
  });
});
