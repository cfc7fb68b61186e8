import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import {
  createKafkaSink,
  type KafkaMessage,
  type KafkaProducerLike,
  kafkaTopic,
  replay,
  ReplayEvent,
} from "@lib/stream/mod.ts";
import { ev, T0 } from "./_fixtures.ts";

/** A producer that records batches and fails the first `failures` sends. */
class FakeProducer implements KafkaProducerLike {
  batches: { topic: string; messages: KafkaMessage[] }[][] = [];
  connected = false;
  attempts = 0;
  constructor(public failures = 0) {}
  connect(): Promise<void> {
    this.connected = true;
    return Promise.resolve();
  }
  sendBatch(batch: { topicMessages: { topic: string; messages: KafkaMessage[] }[] }): Promise<unknown> {
    this.attempts++;
    if (this.failures > 0) {
      this.failures--;
      return Promise.reject(new Error("KafkaJSConnectionError: broker gone"));
    }
    this.batches.push(batch.topicMessages);
    return Promise.resolve([]);
  }
  disconnect(): Promise<void> {
    this.connected = false;
    return Promise.resolve();
  }
}

Deno.test("KafkaSink batches messages into one topic per dataset, keyed by entity", async () => {
  const producer = new FakeProducer();
  const sink = await createKafkaSink({ brokers: [], producer, batchSize: 3, lingerMs: 10_000 });
  assert.equal(producer.connected, true);
  const events = Array.from({ length: 7 }, (_, i) => ev(T0 + i, i, i % 2 ? "tickets" : "metrics"));
  await replay(events, [sink], { max: true });
  assert.equal(producer.batches.length, 2, "two full batches before close");
  await sink.close();
  assert.equal(producer.connected, false);
  assert.deepEqual(producer.batches.map((b) => b.flatMap((t) => t.messages).length), [3, 3, 1]);
  const messages = producer.batches.flat().flatMap((t) => t.messages);
  assert.deepEqual(new Set(producer.batches.flat().map((t) => t.topic)), new Set(["opslab.fixture"]));
  assert.deepEqual(messages.map((m) => m.key), events.map((e) => e.key));
  assert.equal(messages[1].headers.channel, "tickets");
  assert.equal(JSON.parse(messages[1].value).data.i, 1);
  assert.deepEqual(sink.stats(), { sent: 7, dropped: 0, failed: 0, batches: 3, retries: 0, buffered: 0 });
  assert.equal(kafkaTopic("opslab.", "my data/set"), "opslab.my_data_set");
});

Deno.test("KafkaSink sends a partial batch after the linger time", async () => {
  const producer = new FakeProducer();
  const sink = await createKafkaSink({ brokers: [], producer, batchSize: 100, lingerMs: 20 });
  sink.write(ev(T0, 1));
  assert.equal(producer.batches.length, 0);
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(producer.batches.length, 1);
  await sink.close();
});

Deno.test("KafkaSink retries a failed batch with backoff, then gives up with a clear error", async () => {
  const flaky = new FakeProducer(2);
  const sink = await createKafkaSink({ brokers: [], producer: flaky, batchSize: 2, retries: 3, retryMs: 5 });
  await replay([ev(T0, 1), ev(T0 + 1, 2)], [sink], { max: true });
  await sink.close();
  assert.equal(flaky.attempts, 3);
  assert.equal(sink.stats().sent, 2);
  assert.equal(sink.stats().retries, 2);

  const dead = new FakeProducer(100);
  const failing = await createKafkaSink({ brokers: [], producer: dead, batchSize: 2, retries: 2, retryMs: 5 });
  await assert.rejects(
    replay([ev(T0, 1), ev(T0 + 1, 2)], [failing], { max: true }),
    /Cannot send to Kafka: batch of 2 failed after 3 attempts: KafkaJSConnectionError/,
  );
  assert.equal(failing.stats().failed, 2);
  await failing.close().catch(() => {});
  await assert.rejects(createKafkaSink({ brokers: [] }), { name: "RangeError", message: /brokers/ });
});

Deno.test("createKafkaSink() loads kafkajs and reports an unreachable broker in one line", async () => {
  const started = performance.now();
  const error = await createKafkaSink({ brokers: ["127.0.0.1:9"], retries: 1 }).then(
    () => undefined,
    (e: Error) => e,
  );
  assert.ok(error instanceof Error, "connecting to a closed port succeeded");
  assert.match(error.message, /^Cannot connect to Kafka brokers 127.0.0.1:9: .*(ECONNREFUSED|connect)/i);
  assert.ok(performance.now() - started < 15_000);
});

const BROKERS = Deno.env.get("KAFKA_BROKERS");

Deno.test({
  name: "KafkaSink delivers to a real broker (runs when KAFKA_BROKERS is set)",
  ignore: !BROKERS,
  fn: async () => {
    const brokers = BROKERS!.split(",");
    const dataset = `it-${Date.now()}`;
    const sink = await createKafkaSink({ brokers, batchSize: 10 });
    const events = Array.from({ length: 25 }, (_, i) =>
      new ReplayEvent(
        { ts: T0 + i, channel: "metrics", event: "test", key: `k-${i}`, keyName: "id", dataset },
        { i },
      ));
    await replay(events, [sink], { max: true });
    await sink.close();
    assert.equal(sink.stats().sent, 25);
    const { Kafka } = await import("kafkajs");
    const consumer = new Kafka({ clientId: "opslab-test", brokers }).consumer({ groupId: `${dataset}-g` });
    await consumer.connect();
    await consumer.subscribe({ topic: kafkaTopic("opslab.", dataset), fromBeginning: true });
    const seen: string[] = [];
    await consumer.run({ eachMessage: ({ message }) => Promise.resolve(void seen.push(String(message.key))) });
    const end = performance.now() + 20_000;
    while (seen.length < 25 && performance.now() < end) await new Promise((r) => setTimeout(r, 100));
    await consumer.disconnect();
    assert.equal(seen.length, 25);
  },
});
