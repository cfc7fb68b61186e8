/**
 * Real-time replay of lake datasets: rows of one or more tables merged in time order and played at a speed-up
 * (or as fast as possible) to sinks — NDJSON on stdout, a WebSocket server with channels, a Prometheus
 * exposition, Kafka.
 *
 * @example
 * ```ts ignore
 * import "@lib/kinds/mod.ts"; // the replay spec of a kind comes from the kind registry
 * import { deriveHealth, mergeSources, NdjsonSink, openReplay, replay } from "@lib/stream/mod.ts";
 * const msp = await openReplay("data/synthetic/msp", { from: Date.UTC(2024, 2, 1), to: Date.UTC(2024, 2, 2) });
 * const sink = new NdjsonSink();
 * const summary = await replay(deriveHealth(mergeSources(msp.sources)), [sink], { max: true });
 * await sink.close();
 * ```
 * @module
 */
export { type Channel, CHANNELS, type EventHead, ReplayEvent, type Sink, type SinkStats } from "./types.ts";
export {
  type EventSource,
  MSP_REPLAY,
  openReplay,
  type OpenReplayOptions,
  type ReplayDataset,
  type ReplaySpec,
} from "./source.ts";
export { deriveHealth, type DeriveHealthOptions, mergeSources } from "./merge.ts";
export { replay, type ReplayOptions, type ReplaySummary } from "./replay.ts";
export { NdjsonSink, type NdjsonSinkOptions } from "./ndjson.ts";
export {
  canonicalOrigin,
  type SlowClientPolicy,
  type UpgradeRequest,
  WebSocketSink,
  type WebSocketSinkOptions,
  WsClient,
} from "./websocket.ts";
export { PrometheusSink, type PrometheusSinkOptions } from "./prometheus.ts";
export {
  createKafkaSink,
  type KafkaMessage,
  type KafkaProducerLike,
  KafkaSink,
  type KafkaSinkOptions,
  kafkaTopic,
} from "./kafka.ts";
export { type ReplayServer, type ReplayServerOptions, startReplayServer } from "./server.ts";
