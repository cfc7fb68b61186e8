// The MSP table schemas live in lib/schema/msp (shared with ingest/msp_api); this re-export serves checks.ts until
// the MSP checks move into the validation engine (issue 16 item 3), then it goes.
export * from "@lib/schema/msp/tables.ts";
