/**
 * What every column of an ingested GWA-T-12 Bitbrains dataset means (rendered into `docs/columns.md`). Units are
 * the trace's own (Grid Workloads Archive, GWA-T-12 format description).
 * @module
 */
import { QUARANTINE_COLUMN_DOCS } from "../_quarantine.ts";

const VM = {
  vm_month: "the trace file, `<month>/<vm>` (e.g. `2013-8/7`): one VM over one month",
  vm_id: "the VM number of the file name",
  month: "the month folder, e.g. `2013-8`",
};

/** Column descriptions of the GWA tables, by table then column. */
export const GWA_COLUMN_DOCS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  hourly: {
    ...VM,
    timestamp: "start of the hour, UTC",
    n_obs: "samples in the hour, count (the trace samples every 5 minutes: at most 12-13)",
    cpu_pct: "95th percentile CPU usage in the hour, % of the provisioned cores (may exceed 100)",
    mem_pct: "95th percentile memory used, % of the provisioned memory (0-100); null when the trace recorded none",
    disk_kbps: "95th percentile disk throughput (read + write), KB/s",
    net_in_kbps: "95th percentile network received, KB/s",
    net_out_kbps: "95th percentile network transmitted, KB/s",
  },
  daily: {
    ...VM,
    timestamp: "start of the day, UTC",
    n_obs: "samples in the day, count (at most 288 at one every 5 minutes)",
    cpu_pct: "95th percentile CPU usage of the day's 5-minute samples, % of the provisioned cores (may exceed 100)",
    mem_pct: "95th percentile memory used in the day, % of the provisioned memory (0-100); null when none recorded",
    disk_kbps: "95th percentile disk throughput (read + write) in the day, KB/s",
    net_in_kbps: "95th percentile network received in the day, KB/s",
    net_out_kbps: "95th percentile network transmitted in the day, KB/s",
  },
  samples: {
    ...VM,
    timestamp: "sample time, UTC (the trace's Unix seconds)",
    cores: "virtual CPU cores provisioned (> 0: powered-off samples are quarantined)",
    cpu_capacity_mhz: "CPU capacity provisioned, MHz (cores x core speed)",
    cpu_mhz: "CPU used, MHz",
    cpu_pct: "CPU used, % of capacity (may exceed 100)",
    mem_capacity_kb: "memory provisioned, KB",
    mem_kb: "memory used, KB (0 when the trace recorded none)",
    disk_read_kbps: "disk read throughput, KB/s",
    disk_write_kbps: "disk write throughput, KB/s",
    net_in_kbps: "network received, KB/s",
    net_out_kbps: "network transmitted, KB/s",
    mem_pct: "mem_kb / mem_capacity_kb, % (0-100); null where mem_kb is 0",
  },
  quarantine: QUARANTINE_COLUMN_DOCS,
};
