/**
 * The pgoutput stream of a replication slot, on pg-logical-replication: messages are handed to
 * a consumer with backpressure, values stay the server's text, and the slot's confirmed position
 * moves only when `confirm` is called, which the task does after Kafka committed the records.
 */
import type { LogicalReplicationService, Pgoutput, PgoutputPlugin } from 'pg-logical-replication';
import type { PgoutputParser } from 'pg-logical-replication/dist/output-plugins/pgoutput/pgoutput-parser.js';
import { lazyDriver } from '../lazy-driver.ts';
import type { PgSettings } from './pg-config.ts';
import { clientConfig, pgError } from './pg-catalog.ts';
import { lsnToNumber, lsnToText } from './lsn.ts';

/** pg-logical-replication and its pgoutput parser, loaded when a stream starts (see lazy-driver.ts). */
const replicationDriver = lazyDriver(async () => {
  const [{ LogicalReplicationService, PgoutputPlugin }, { PgoutputParser }] = await Promise.all([
    import('pg-logical-replication'),
    import('pg-logical-replication/dist/output-plugins/pgoutput/pgoutput-parser.js'),
  ]);
  return { LogicalReplicationService, PgoutputPlugin, PgoutputParser };
});
type ReplicationDriver = Awaited<ReturnType<typeof replicationDriver.load>>;

const asText = (v: string): string => v;

/** The pgoutput plugin with every column left as text (its parser's default would use pg's global type parsers). */
function textPlugin(driver: ReplicationDriver, options: ConstructorParameters<typeof PgoutputPlugin>[0]): PgoutputPlugin {
  const plugin = new driver.PgoutputPlugin(options);
  const parser = new driver.PgoutputParser();
  const internal = parser as unknown as { readRelationColumn(reader: unknown): Pgoutput.RelationColumn };
  const original = internal.readRelationColumn.bind(parser);
  internal.readRelationColumn = (reader) => ({ ...original(reader), parser: asText });
  (plugin as unknown as { parser: PgoutputParser }).parser = parser;
  return plugin;
}

export type PgMessage = Pgoutput.Message;

export interface StreamHandlers {
  /** Called for each message in order; the stream waits while it runs (backpressure). */
  onMessage(lsn: number, message: PgMessage): Promise<void>;
  /** The server's keepalive: everything committed before `walEnd` has been sent. */
  onKeepalive(walEnd: number): void;
  onError(error: Error): void;
}

export class PgReplicationStream {
  private service: LogicalReplicationService | null = null;
  private confirmed = 0;
  private statusTimer: ReturnType<typeof setInterval> | null = null;
  private ended = false;

  constructor(
    private readonly settings: PgSettings,
    private readonly handlers: StreamHandlers,
  ) {}

  /** Starts streaming from the slot's confirmed position; resolves once the server started sending. */
  async start(confirmedLsn: number): Promise<void> {
    const driver = await replicationDriver.load();
    // Stopped while the driver loaded: there is nothing to start.
    if (this.ended) return;
    this.confirmed = confirmedLsn;
    const service = new driver.LogicalReplicationService(clientConfig(this.settings, true), {
      // Never acknowledge on our own: the slot may only advance to what Kafka committed.
      acknowledge: { auto: false, timeoutSeconds: 0 },
      flowControl: { enabled: true },
    });
    this.service = service;
    service.on('data', async (lsn: string, message: PgMessage) => {
      await this.handlers.onMessage(lsnToNumber(lsn), message);
    });
    service.on('heartbeat', (lsn: string, _ts: number, shouldRespond: boolean) => {
      this.handlers.onKeepalive(lsnToNumber(lsn));
      if (shouldRespond) void this.sendStatus();
    });
    service.on('error', (e: Error) => {
      if (!this.ended) this.handlers.onError(pgError(e, this.settings, 'streaming changes'));
    });
    const plugin = textPlugin(driver, { protoVersion: 1, publicationNames: [this.settings.publicationName] });
    const started = new Promise<void>((resolve) => service.once('start', () => resolve()));
    const running = service.subscribe(plugin, this.settings.slotName).then(
      () => {
        if (!this.ended) this.handlers.onError(pgError(new Error('Connection terminated: the server ended replication'), this.settings, 'streaming changes'));
      },
      (e: unknown) => {
        if (!this.ended) this.handlers.onError(pgError(e, this.settings, 'starting replication'));
        throw pgError(e, this.settings, 'starting replication');
      },
    );
    await Promise.race([started, running]);
    const every = this.settings.statusUpdateIntervalMs;
    if (every > 0) {
      this.statusTimer = setInterval(() => void this.sendStatus(), every);
      this.statusTimer.unref();
    }
  }

  /** Lets the slot forget everything before `lsn` (exclusive): the server resends from there. */
  async confirm(lsn: number): Promise<void> {
    if (lsn <= this.confirmed) return;
    this.confirmed = lsn;
    await this.sendStatus();
  }

  /** Asks the server for a keepalive, which tells how far the WAL has been decoded. */
  async ping(): Promise<void> {
    await this.sendStatus(true);
  }

  private async sendStatus(ping = false): Promise<void> {
    if (!this.service || this.confirmed === 0) return;
    // The library reports `lsn + 1` as flushed; report exactly `confirmed`.
    await this.service.acknowledge(lsnToText(this.confirmed - 1), ping).catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.ended = true;
    if (this.statusTimer) clearInterval(this.statusTimer);
    this.statusTimer = null;
    const service = this.service;
    this.service = null;
    await service?.destroy().catch(() => undefined);
  }
}
