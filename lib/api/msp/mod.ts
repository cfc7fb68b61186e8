/**
 * The MSP platform sandbox: a loopback GraphQL API shaped like SuperOps' public API (`POST /msp`, `Authorization:
 * Bearer <token>`, `CustomerSubDomain: <tenant>`, `getClientList` / `getTechnicianList` / `getTicketList` with a
 * `listInfo`) over an MSP dataset from the lake, with a rate limit (`429` + `Retry-After`), seeded fault injection
 * and a webhook emitter replaying ticket events.
 *
 * @example
 * ```ts ignore
 * import { loadMspApiData, serveMspApi } from "@lib/api/msp/mod.ts";
 * const api = serveMspApi(await loadMspApiData("data/synthetic/msp"), { apiKey: "secret", tenant: "acme" });
 * console.log(api.url);
 * await api.close();
 * ```
 * @module
 */
export { type ApiList, loadMspApiData, type MspApiData, mspApiData, periodOfDaily, type TicketEvent } from "./data.ts";
export { FAULT_KINDS, faultDrawer, type FaultKind, type FaultRates, parseFaults } from "./faults.ts";
export { GraphQLSyntaxError, parseQuery, type Selection } from "./graphql.ts";
export {
  type ApiEntity,
  type ApiField,
  CLIENT,
  ENTITIES,
  entityOfQuery,
  type FieldKind,
  SCHEMA_SDL,
  TECHNICIAN,
  TICKET,
} from "./objects.ts";
export { isLoopbackHost, type MspApiOptions, type MspApiServer, type MspApiStats, serveMspApi } from "./server.ts";
export {
  SIGNATURE_HEADER,
  signBody,
  startWebhookEmitter,
  type WebhookEmitter,
  type WebhookOptions,
} from "./webhook.ts";
