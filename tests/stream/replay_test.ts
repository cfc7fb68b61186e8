import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { NdjsonSink, replay } from "@lib/stream/mod.ts";
import { CaptureSink, ev, T0 } from "./_fixtures.ts";

Deno.test("replay() paces events on the data clock: --speed 10 plays 2 s of data in 200 ms", async () => {
  // data times 0, 0.25 s, 0.5 s, ... 2 s
  const events = Array.from({ length: 9 }, (_, i) => ev(T0 + i * 250, i));
  const sink = new CaptureSink();
  const summary = await replay(events, [sink], { speed: 10 });
  assert.equal(summary.events, 9);
  const t0 = sink.times[0];
  sink.times.forEach((t, i) => {
    const expected = i * 25; // 250 ms of data / 10
    assert.ok(t - t0 >= expected - 2, `event ${i} early: ${t - t0} ms, due ${expected} ms`);
    assert.ok(t - t0 <= expected + 40, `event ${i} late: ${t - t0} ms, due ${expected} ms`);
  });
  assert.deepEqual(sink.events.map((e) => e.data.i), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  assert.ok(summary.seconds >= 0.19 && summary.seconds < 0.4, `took ${summary.seconds} s`);
});

Deno.test("replay() computes each due time from the start, so waits never drift (fake clock)", async () => {
  let clock = 1000;
  const waits: number[] = [];
  const sink = new CaptureSink();
  const events = [0, 60_000, 60_000, 180_000, 3_600_000].map((d, i) => ev(T0 + d, i));
  await replay(events, [sink], {
    speed: 60,
    startTs: T0 - 60_000,
    now: () => clock,
    sleep: (ms) => {
      waits.push(ms);
      clock += ms;
      return Promise.resolve();
    },
  });
  // startTs one data minute before the first event: one wall second of wait first
  assert.deepEqual(waits, [1000, 1000, 2000, 57_000]);
});

Deno.test("replay() with max never sleeps and honours sink backpressure", async () => {
  let slept = 0;
  const sink = new CaptureSink(5);
  const events = Array.from({ length: 20 }, (_, i) => ev(T0 + i * 3_600_000, i));
  const started = performance.now();
  const summary = await replay(events, [sink], {
    max: true,
    sleep: () => {
      slept++;
      return Promise.resolve();
    },
  });
  assert.equal(slept, 0);
  assert.equal(summary.events, 20);
  assert.ok(performance.now() - started >= 20 * 5 - 5, "the replay did not wait for the slow sink");
});

Deno.test("replay() stops on abort and reports it", async () => {
  const controller = new AbortController();
  const sink = new CaptureSink();
  const events = Array.from({ length: 100 }, (_, i) => ev(T0 + i * 1000, i));
  setTimeout(() => controller.abort(), 60);
  const summary = await replay(events, [sink], { speed: 10, signal: controller.signal });
  assert.equal(summary.stopped, true);
  assert.ok(summary.events > 0 && summary.events < 100, `${summary.events} events`);
  assert.equal(sink.events.length, summary.events);
  await assert.rejects(replay([], [sink], { speed: -1 }), { name: "RangeError", message: /speed/ });
});

Deno.test("NdjsonSink writes one JSON event a line and stops quietly on a closed pipe", async () => {
  const chunks: Uint8Array[] = [];
  const writable = new WritableStream<Uint8Array>({ write: (c) => void chunks.push(c) });
  const sink = new NdjsonSink({ writable, bufferBytes: 200 });
  const events = Array.from({ length: 50 }, (_, i) => ev(T0 + i, i, i % 2 ? "tickets" : "metrics"));
  await replay(events, [sink], { max: true });
  await sink.close();
  const lines = new TextDecoder().decode(new Uint8Array(chunks.flatMap((c) => [...c]))).trimEnd().split("\n");
  assert.equal(lines.length, 50);
  assert.equal(sink.stats().sent, 50);
  const parsed = lines.map((l) => JSON.parse(l));
  assert.deepEqual(Object.keys(parsed[1]), ["channel", "event", "ts", "dataset", "key", "data"]);
  assert.equal(parsed[1].channel, "tickets");
  assert.equal(parsed[1].ts, new Date(T0 + 1).toISOString());
  assert.deepEqual(parsed.map((p) => p.data.i), Array.from({ length: 50 }, (_, i) => i));

  let writes = 0;
  const broken = new WritableStream<Uint8Array>({
    write: () => {
      if (++writes > 1) throw new Deno.errors.BrokenPipe("broken pipe");
    },
  });
  const closing = new NdjsonSink({ writable: broken, bufferBytes: 100 });
  const summary = await replay(Array.from({ length: 1000 }, (_, i) => ev(T0 + i, i)), [closing], { max: true });
  assert.equal(closing.done, true);
  assert.equal(summary.stopped, true);
  assert.ok(summary.events < 1000);
  await closing.close();
});
