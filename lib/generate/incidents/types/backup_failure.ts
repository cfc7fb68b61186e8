/**
 * `backup_failure`: the nightly backup or continuous WAL archiving of a PostgreSQL database fails (full backup
 * target, expired storage credentials); WAL piles up on the primary's disk.
 * @module
 */
import type { Fleet } from "../fleet.ts";
import { hours, type IncidentType } from "./_common.ts";

function primaries(fleet: Fleet) {
  return fleet.servers.filter((s) => s.engine === "postgresql" && s.role === "primary");
}

/** A failed backup (WAL archiving) run. */
export const backupFailure: IncidentType = {
  name: "backup_failure",
  description: "nightly backup / WAL archiving of a PostgreSQL database fails; WAL piles up on disk",
  severity: [0.02, 0.13, 0.5, 0.35],
  startHours: hours(0, 5, { outside: 0 }),
  durations: { detect: [20, 240], mitigate: [20, 120], resolve: [30, 240] },
  detection: { log_alert: 0.5, monitoring_alert: 0.35, on_call_check: 0.15 },
  available: (fleet) => primaries(fleet).length > 0,
  draw(rng, fleet) {
    const db = rng.pick(primaries(fleet));
    const runner = fleet.byApp.get("backup-runner") ?? [];
    const reason = rng.pick([
      { text: "the backup bucket credentials had expired", fix: "rotated the storage credentials" },
      { text: "the archive volume was full", fix: "pruned expired base backups from the archive volume" },
      {
        text: "a changed firewall rule blocked the archive host",
        fix: "restored the firewall rule for the archive host",
      },
    ]);
    const servers = [db.id, ...runner.slice(0, 1).map((s) => s.id)];
    return {
      root: db.app,
      service: db.app,
      services: [db.app, ...(runner.length ? ["backup-runner"] : [])],
      servers,
      customerFacing: false,
      facts: { database: db.host, wal_segments: rng.int(40, 900), reason: reason.text },
      metrics: [
        { table: "capacity", targets: [db.id], shape: "memory_leak", metrics: ["disk_p95"], params: {} },
        ...(runner.length
          ? [{
            table: "capacity" as const,
            targets: [runner[0].id],
            shape: "batch_window",
            metrics: ["net_out_p95", "cpu_p95"],
            params: {},
          }]
          : []),
      ],
      db: { server: db.id, engine: "postgresql", patterns: ["archive_failure"], perMinute: 1 },
      words: {
        category: "Database",
        subcategory: "Backup and recovery",
        symptom: `WAL archiving and the nightly base backup of ${db.host} failing`,
        cause: reason.text,
        fix: `${reason.fix} and re-ran the base backup, which completed`,
        mitigation: `raised the WAL retention on ${db.host} so no segment is lost before archiving resumes`,
      },
    };
  },
};
