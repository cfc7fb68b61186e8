import { type Archetype, CapacityConfig, generateCapacity } from "@lib/generate/capacity/mod.ts";
import type { Seed } from "@lib/random/mod.ts";
import { type Engine, SERVICE_BY_NAME } from "./catalog.ts";

/** One server of the fleet, as the capacity generator describes it, plus its database role. */
export interface FleetServer {
  /** `srv-0001` ... */
  id: string;
  archetype: Archetype;
  businessUnit: string;
  criticality: string;
  region: string;
  /** The service it runs (the capacity `app_name`). */
  app: string;
  /** Database engine, for database servers. */
  engine?: Engine;
  /** `primary` (first server of a database service by id) or `replica`, for database servers. */
  role?: "primary" | "replica";
  /** Host name used in logs, e.g. `orders-db-01`. */
  host: string;
  /** Address in a documentation range (RFC 5737), by index; repeats past 762 servers. */
  ip: string;
}

/** The fleet: servers in id order and by service. */
export interface Fleet {
  servers: FleetServer[];
  /** Servers of each service, in id order. */
  byApp: Map<string, FleetServer[]>;
}

/**
 * The fleet of the capacity generator for a seed and size: the same server ids, archetypes, regions and services
 * as `generate capacity --servers N --seed S` (read from one generated day, so it follows the capacity generator).
 *
 * @param seed the dataset seed
 * @param servers fleet size
 * @returns the fleet
 * @example
 * ```ts
 * import { buildFleet } from "@lib/generate/incidents/mod.ts";
 * const fleet = buildFleet(42, 120);
 * fleet.servers.length; // 120
 * ```
 */
export function buildFleet(seed: Seed, servers: number): Fleet {
  const config = CapacityConfig.parse({ seed, servers, start_date: "2024-01-01", end_date: "2024-01-01" });
  const meta = generateCapacity(config).select(
    "server_id",
    "server_type",
    "business_unit",
    "criticality",
    "region",
    "app_name",
  );
  const cols = {
    id: meta.getColumn("server_id").toArray() as string[],
    type: meta.getColumn("server_type").toArray() as Archetype[],
    bu: meta.getColumn("business_unit").toArray() as string[],
    crit: meta.getColumn("criticality").toArray() as string[],
    region: meta.getColumn("region").toArray() as string[],
    app: meta.getColumn("app_name").toArray() as string[],
  };
  const byApp = new Map<string, FleetServer[]>();
  const list: FleetServer[] = cols.id.map((id, i) => {
    const app = cols.app[i];
    const peers = byApp.get(app) ?? [];
    byApp.set(app, peers);
    const info = SERVICE_BY_NAME.get(app);
    const s: FleetServer = {
      id,
      archetype: cols.type[i],
      businessUnit: cols.bu[i],
      criticality: cols.crit[i],
      region: cols.region[i],
      app,
      host: `${app}-${String(peers.length + 1).padStart(2, "0")}`,
      ip: serverIp(i),
    };
    if (info?.engine) {
      s.engine = info.engine;
      s.role = peers.length === 0 ? "primary" : "replica";
    }
    peers.push(s);
    return s;
  });
  return { servers: list, byApp };
}

/**
 * The database servers of a fleet, in id order.
 * @param fleet the fleet
 * @returns servers with an engine
 */
export function databaseServers(fleet: Fleet): FleetServer[] {
  return fleet.servers.filter((s) => s.engine !== undefined);
}

const NETS = ["192.0.2", "198.51.100", "203.0.113"];

/**
 * The documentation-range address of a server index (RFC 5737 ranges, 762 addresses, then repeating).
 * @param index zero-based server index
 * @returns an IPv4 address
 */
export function serverIp(index: number): string {
  const k = index % 762;
  return `${NETS[Math.floor(k / 254)]}.${(k % 254) + 1}`;
}
