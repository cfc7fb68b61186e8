/**
 * `access_breach_attempt`: password brute force from one address against a database (with, at SEV1/2, a
 * successful login and a privilege change), or credential stuffing against the public login API.
 * @module
 */
import { databaseServers } from "../fleet.ts";
import { documentationIp, type IncidentType, present } from "./_common.ts";

const ATTACK_AGENTS = ["python-requests/2.31.0", "Go-http-client/1.1", "curl/8.5.0", "Mozilla/5.0 (compatible; scan)"];

/** An access breach attempt. */
export const accessBreachAttempt: IncidentType = {
  name: "access_breach_attempt",
  description: "password brute force from one address against a database, or credential stuffing on the login API",
  severity: [0.1, 0.25, 0.4, 0.25],
  durations: { detect: [2, 30], mitigate: [8, 60], resolve: [20, 240] },
  detection: { security_alert: 0.7, log_alert: 0.2, monitoring_alert: 0.1 },
  available: (fleet) => databaseServers(fleet).length > 0 || present(fleet, ["auth-svc"]).length > 0,
  draw(rng, fleet, severity) {
    const dbs = databaseServers(fleet);
    const web = present(fleet, ["auth-svc"]).length > 0;
    const ip = documentationIp(rng);
    if (dbs.length > 0 && (!web || rng.bernoulli(0.6))) {
      const db = rng.pick(dbs);
      const breached = severity <= 2 && db.engine !== "mysql";
      const account = db.engine === "mongodb" ? "admin" : db.engine === "mysql" ? "root" : "postgres";
      return {
        root: db.app,
        service: db.app,
        services: [db.app],
        servers: [db.id],
        customerFacing: false,
        facts: { attacker_ip: ip, account, target: db.host, breached: breached ? "yes" : "no" },
        metrics: [{
          table: "capacity",
          targets: [db.id],
          shape: "spike",
          metrics: ["cpu_p95", "net_in_p95"],
          params: { magnitude: [4, 7] },
        }],
        db: {
          server: db.id,
          engine: db.engine!,
          patterns: breached ? ["auth_bruteforce", "privilege_change"] : ["auth_bruteforce"],
          perMinute: rng.uniform(20, 80),
        },
        words: {
          category: "Security",
          subcategory: breached ? "Unauthorized access" : "Brute-force attempt",
          symptom: `repeated failed logins for "${account}" on ${db.host} from ${ip}`,
          cause: breached
            ? `a password brute force from ${ip} that guessed a weak service-account password and changed privileges`
            : `a password brute force from ${ip} against the database port, exposed by a permissive firewall rule`,
          fix: breached
            ? `rotated every credential on ${db.host}, reverted the privilege change and closed the firewall rule`
            : `closed the firewall rule and added ${ip} to the deny list`,
          mitigation: `blocked ${ip} at the network edge`,
        },
      };
    }
    const services = present(fleet, ["auth-svc"]);
    return {
      root: "auth-svc",
      service: "auth-svc",
      services,
      servers: (fleet.byApp.get("auth-svc") ?? []).slice(0, 4).map((s) => s.id),
      customerFacing: severity <= 2,
      facts: { attacker_ip: ip, account: "many customer accounts", target: "the login API", breached: "no" },
      metrics: [{
        table: "service",
        targets: services,
        shape: "spike",
        metrics: ["error_rate_pct"],
        params: { magnitude: [6, 12] },
      }],
      cloudfront: {
        services: [],
        failShare: 0,
        statuses: [[401, 0.8], [403, 0.15], [429, 0.05]],
        detailed: {},
        latencyFactor: 1,
        extraRate: 0,
        attack: { ip, userAgent: rng.pick(ATTACK_AGENTS), perMinute: rng.uniform(30, 150) },
      },
      words: {
        category: "Security",
        subcategory: "Credential stuffing",
        symptom: `a flood of failed sign-ins on the login API from ${ip}`,
        cause: `credential stuffing from ${ip} with a leaked list of e-mail and password pairs`,
        fix: `added a WAF rate-based rule for the login API and forced resets for the accounts that were tried`,
        mitigation: `blocked ${ip} in the WAF`,
      },
    };
  },
};
