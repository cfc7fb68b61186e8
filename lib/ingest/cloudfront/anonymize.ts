import { createHmac } from "node:crypto";

/** How client addresses are anonymized. */
export type IpMode = "truncate" | "hash";

/** Options of {@linkcode anonymizeIp}. */
export interface AnonymizeIpOptions {
  /** `truncate`: keep the /24 (IPv4) or /48 (IPv6) network; `hash`: a salted HMAC-SHA-256. @default "truncate" */
  mode?: IpMode;
  /** The secret salt for `hash` (required there, unused for `truncate`). @default "" */
  salt?: string;
}

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function v4Parts(ip: string): number[] | null {
  const m = V4.exec(ip);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? parts : null;
}

/**
 * Expands an IPv6 address to its eight 16-bit groups (an embedded IPv4 tail counts as two groups).
 * @param ip the address text
 * @returns the groups, or null when it is not IPv6
 */
export function ipv6Groups(ip: string): number[] | null {
  const text = ip.replace(/%.*$/, "");
  if (!/^[0-9a-fA-F:.]+$/.test(text) || !text.includes(":")) return null;
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const parse = (s: string): number[] | null => {
    if (s === "") return [];
    const out: number[] = [];
    const parts = s.split(":");
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      if (i === parts.length - 1 && p.includes(".")) {
        const v4 = v4Parts(p);
        if (!v4) return null;
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) {
        out.push(parseInt(p, 16));
      } else {
        return null;
      }
    }
    return out;
  };
  const head = parse(halves[0]);
  const tail = halves.length === 2 ? parse(halves[1]) : [];
  if (!head || !tail) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  const fill = 8 - head.length - tail.length;
  if (fill < 1) return null;
  return [...head, ...new Array<number>(fill).fill(0), ...tail];
}

/**
 * Anonymizes one client address. Truncation keeps the network a person shares with many others: `a.b.c.0` for
 * IPv4, the first 48 bits (`2001:db8:85a3::`) for IPv6, IPv4-mapped IPv6 as IPv4. Hashing gives the first 16 hex
 * digits of HMAC-SHA-256(salt, address): stable within a salt, unlinkable without it.
 * @param ip the address as logged
 * @param options mode and salt
 * @returns the anonymized address, or null when `ip` is not an address (the raw text is never kept)
 * @throws {RangeError} for `hash` without a salt
 * @example
 * ```ts
 * import { anonymizeIp } from "@lib/ingest/cloudfront/mod.ts";
 * anonymizeIp("192.0.2.77"); // "192.0.2.0"
 * anonymizeIp("2001:db8:85a3:8d3:1319:8a2e:370:7348"); // "2001:db8:85a3::"
 * ```
 */
export function anonymizeIp(ip: string, options: AnonymizeIpOptions = {}): string | null {
  const { mode = "truncate", salt = "" } = options;
  const text = ip.trim();
  const v4 = v4Parts(text);
  const v6 = v4 ? null : ipv6Groups(text);
  if (!v4 && !v6) return null;
  if (mode === "hash") {
    if (salt === "") {
      throw new RangeError('Cannot anonymize client addresses with "hash": a salt must be set, got ""');
    }
    const canonical = v4 ? v4.join(".") : v6!.map((g) => g.toString(16)).join(":");
    return createHmac("sha256", salt).update(canonical).digest("hex").slice(0, 16);
  }
  if (v4) return `${v4[0]}.${v4[1]}.${v4[2]}.0`;
  const g = v6!;
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) {
    return `${g[6] >> 8}.${g[6] & 255}.${g[7] >> 8}.0`;
  }
  return `${g.slice(0, 3).map((x) => x.toString(16)).join(":")}::`;
}

/**
 * Anonymizes a comma-separated address list (`x-forwarded-for`): each entry as {@linkcode anonymizeIp}, entries
 * that are not addresses dropped.
 * @param list the list as logged
 * @param options mode and salt
 * @returns the anonymized list, or null when no entry is an address
 */
export function anonymizeIpList(list: string, options: AnonymizeIpOptions = {}): string | null {
  const out = list.split(",").map((s) => anonymizeIp(s, options)).filter((s): s is string => s !== null);
  return out.length === 0 ? null : out.join(",");
}
