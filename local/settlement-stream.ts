import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { orderChangesOf, type StreamRecord } from '../functions/adapters/dynamodb/stream-changes';
import type { PaymentSettled } from '../functions/domain/model/settlement';
import type { Log } from '../functions/domain/ports/log';
import type { SettlementPublisher } from '../functions/domain/ports/settlement-publisher';
import { announceSettlements } from '../functions/domain/use-cases/announce-settlements';

/**
 * What Lambda's DynamoDB event source does in AWS, on this machine: reads
 * the table's stream (DynamoDB Local implements the Streams API) and hands
 * each batch to the same `announceSettlements` the deployed `settled`
 * function runs. A batch that fails is read again from the failed change.
 */
export interface SettlementStream {
  /** Every event published so far, in order (the local subscriber). */
  readonly events: readonly PaymentSettled[];
  /** Resolves once every change written before the call has been read. */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

/** The local subscriber: keeps the events; `announceSettlements` logs each one. */
export const memoryPublisher = (): SettlementPublisher & { events: PaymentSettled[] } => {
  const events: PaymentSettled[] = [];
  return {
    events,
    async publish(batch) {
      events.push(...batch);
    },
  };
};

export const followSettlements = async (options: {
  dynamodb: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  tableName: string;
  log: Log;
  publisher?: SettlementPublisher & { events: PaymentSettled[] };
  pollMs?: number;
}): Promise<SettlementStream> => {
  const { dynamodb, streams, log } = options;
  const publisher = options.publisher ?? memoryPublisher();
  const pollMs = options.pollMs ?? 100;
  const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: options.tableName }));
  const streamArn = Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`table ${options.tableName} has no stream`);

  /** Open shards and where to read next; closed shards are dropped. */
  const iterators = new Map<string, string>();
  const seen = new Set<string>();
  let stopped = false;
  let rounds = 0;
  /** The last round that read no record at all: the reader had caught up then. */
  let lastQuietRound = -1;
  let recordsThisRound = 0;

  const discoverShards = async () => {
    let start: string | undefined;
    do {
      const { StreamDescription } = await streams.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }),
      );
      for (const shard of StreamDescription?.Shards ?? []) {
        const id = shard.ShardId;
        if (!id || seen.has(id)) continue;
        const { ShardIterator } = await streams.send(
          new GetShardIteratorCommand({
            StreamArn: streamArn,
            ShardId: id,
            ShardIteratorType: 'TRIM_HORIZON',
          }),
        );
        seen.add(id);
        if (ShardIterator) iterators.set(id, ShardIterator);
      }
      start = StreamDescription?.LastEvaluatedShardId;
    } while (start);
  };

  const readShard = async (shardId: string, iterator: string) => {
    const { Records = [], NextShardIterator } = await streams.send(
      new GetRecordsCommand({ ShardIterator: iterator }),
    );
    recordsThisRound += Records.length;
    const { retryFrom } = await announceSettlements(orderChangesOf(Records as StreamRecord[]), {
      publisher,
      log,
    });
    if (retryFrom) {
      // Read again from the change that failed, as Lambda does with a partial batch response.
      const { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ShardIteratorType: 'AT_SEQUENCE_NUMBER',
          SequenceNumber: retryFrom,
        }),
      );
      if (ShardIterator) iterators.set(shardId, ShardIterator);
      return;
    }
    if (NextShardIterator) iterators.set(shardId, NextShardIterator);
    else iterators.delete(shardId);
  };

  const loop = (async () => {
    while (!stopped) {
      recordsThisRound = 0;
      let failed = false;
      try {
        await discoverShards();
        for (const [shardId, iterator] of [...iterators]) await readShard(shardId, iterator);
      } catch (error) {
        failed = true;
        if (!stopped)
          log.warn('reading the table stream failed; retrying', { error: String(error) });
      }
      if (!failed && recordsThisRound === 0) lastQuietRound = rounds;
      rounds++;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  })();

  return {
    events: publisher.events,
    async drain() {
      // Until a round that started after this call read nothing: everything written before is read
      // (a round reads at most one page per shard, so a long backlog takes many rounds).
      const after = rounds + 1;
      while (lastQuietRound < after && !stopped)
        await new Promise((resolve) => setTimeout(resolve, pollMs));
    },
    async stop() {
      stopped = true;
      await loop;
    },
  };
};
