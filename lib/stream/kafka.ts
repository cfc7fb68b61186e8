import type { ReplayEvent, Sink, SinkStats } from "./types.ts";

/** One Kafka message as kafkajs takes it. */
export interface KafkaMessage {
  key: string;
  value: string;
  headers: Record<string, string>;
}

/** The part of a kafkajs producer the sink uses (tests inject a fake). */
export interface KafkaProducerLike {
  connect(): Promise<void>;
  sendBatch(batch: { topicMessages: { topic: string; messages: KafkaMessage[] }[]; acks?: number }): Promise<unknown>;
  disconnect(): Promise<void>;
}

/** Options of {@linkcode createKafkaSink}. */
export interface KafkaSinkOptions {
  /** Broker addresses, e.g. `["127.0.0.1:9092"]` (from `KAFKA_BROKERS`). */
  brokers: readonly string[];
  /** Client id announced to the brokers. @default "opslab-replay" */
  clientId?: string;
  /** Topic name prefix; the topic of a dataset is `<prefix><dataset>`. @default "opslab." */
  topicPrefix?: string;
  /** Messages per batch. @default 500 */
  batchSize?: number;
  /** Longest wait before a partial batch is sent, ms. @default 100 */
  lingerMs?: number;
  /** Retries of a failed batch, with doubling backoff from `retryMs`. @default 5 */
  retries?: number;
  /** First retry backoff, ms. @default 200 */
  retryMs?: number;
  /** A producer to use instead of a kafkajs one (tests). @default a kafkajs producer */
  producer?: KafkaProducerLike;
}

/**
 * The Kafka topic of a dataset: `<prefix><dataset>` with characters Kafka does not allow replaced by `_`.
 * @param prefix the prefix
 * @param dataset the dataset name
 * @returns the topic
 */
export function kafkaTopic(prefix: string, dataset: string): string {
  return `${prefix}${dataset}`.replace(/[^a-zA-Z0-9._-]/g, "_").slice(0, 249);
}

/**
 * A Kafka sink: one topic per dataset, the entity as message key (so one server's or ticket's events stay in
 * order on one partition), the channel and event as headers, the wire JSON as value. Messages are batched
 * (`batchSize` or `lingerMs`, whichever first) and a failed batch is retried with backoff; the replay waits for a
 * full batch to be acknowledged (backpressure). Create it with {@linkcode createKafkaSink}.
 */
export class KafkaSink implements Sink {
  readonly name = "kafka";
  readonly #producer: KafkaProducerLike;
  readonly #options: Required<Omit<KafkaSinkOptions, "producer" | "brokers" | "clientId">>;
  #buffer: { topic: string; message: KafkaMessage }[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #inflight: Promise<void> = Promise.resolve();
  #sent = 0;
  #failed = 0;
  #batches = 0;
  #retries = 0;
  #error: Error | undefined;
  #closed = false;

  /**
   * @param producer a connected producer
   * @param options batching and retry settings
   */
  constructor(producer: KafkaProducerLike, options: Omit<KafkaSinkOptions, "brokers" | "producer">) {
    const { topicPrefix = "opslab.", batchSize = 500, lingerMs = 100, retries = 5, retryMs = 200 } = options;
    this.#producer = producer;
    this.#options = { topicPrefix, batchSize, lingerMs, retries, retryMs };
  }

  write(e: ReplayEvent): void | Promise<void> {
    if (this.#error) throw this.#error;
    this.#buffer.push({
      topic: kafkaTopic(this.#options.topicPrefix, e.dataset),
      message: { key: e.key, value: e.toJSONText(), headers: { channel: e.channel, event: e.event } },
    });
    if (this.#buffer.length >= this.#options.batchSize) return this.flush();
    if (this.#timer === undefined) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.flush().catch(() => {});
      }, this.#options.lingerMs);
    }
  }

  /** Sends what is buffered (after any batch in flight) and waits for the acknowledgement. */
  flush(): Promise<void> {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#buffer;
    this.#buffer = [];
    if (batch.length > 0) this.#inflight = this.#inflight.then(() => this.#send(batch));
    return this.#inflight;
  }

  async #send(batch: { topic: string; message: KafkaMessage }[]): Promise<void> {
    if (this.#error) return;
    const byTopic = new Map<string, KafkaMessage[]>();
    for (const { topic, message } of batch) byTopic.set(topic, [...(byTopic.get(topic) ?? []), message]);
    const topicMessages = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
    for (let attempt = 0;; attempt++) {
      try {
        await this.#producer.sendBatch({ topicMessages, acks: -1 });
        this.#sent += batch.length;
        this.#batches++;
        return;
      } catch (e) {
        if (attempt >= this.#options.retries) {
          this.#failed += batch.length;
          this.#error = new Error(
            `Cannot send to Kafka: batch of ${batch.length} failed after ${attempt + 1} attempts: ${
              String((e as Error).message).split("\n")[0]
            }`,
            { cause: e },
          );
          throw this.#error;
        }
        this.#retries++;
        await new Promise((r) => setTimeout(r, this.#options.retryMs * 2 ** attempt));
      }
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.flush();
    } finally {
      await this.#producer.disconnect();
    }
  }

  stats(): SinkStats {
    return {
      sent: this.#sent,
      dropped: 0,
      failed: this.#failed,
      batches: this.#batches,
      retries: this.#retries,
      buffered: this.#buffer.length,
    };
  }
}

/**
 * Connects a Kafka sink: a kafkajs producer (imported only here, so replays without Kafka never load it) or the
 * given one.
 *
 * @param options brokers, batching, retries, or an injected producer
 * @returns the connected sink
 * @throws {RangeError} without brokers and producer
 * @example
 * ```ts ignore
 * const sink = await createKafkaSink({ brokers: Deno.env.get("KAFKA_BROKERS")!.split(",") });
 * ```
 */
export async function createKafkaSink(options: KafkaSinkOptions): Promise<KafkaSink> {
  const { brokers, clientId = "opslab-replay", producer: given, retries = 5 } = options;
  let producer = given;
  if (producer === undefined) {
    if (brokers.length === 0) throw new RangeError("Cannot create the Kafka sink: brokers must not be empty, got []");
    const { Kafka, logLevel, Partitioners } = await import("kafkajs");
    // kafkajs logs every retry as JSON; the sink reports failures itself, in one line
    const kafka = new Kafka({
      clientId,
      brokers: [...brokers],
      logLevel: logLevel.NOTHING,
      retry: { retries: Math.min(retries, 3), initialRetryTime: 200 },
    });
    producer = kafka.producer({
      allowAutoTopicCreation: true,
      createPartitioner: Partitioners.DefaultPartitioner,
    }) as unknown as KafkaProducerLike;
  }
  try {
    await producer.connect();
  } catch (cause) {
    const reason = String((cause as Error).message).split("\n")[0];
    throw new Error(`Cannot connect to Kafka brokers ${brokers.join(",") || "(injected)"}: ${reason}`, { cause });
  }
  return new KafkaSink(producer, options);
}
