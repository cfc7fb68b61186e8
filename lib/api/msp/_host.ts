/**
 * The Host-header check shared by the sandbox server and its webhook emitter.
 * @module
 */
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Whether a Host header names this machine (`localhost`, `127.0.0.1`, `[::1]`, any port); a DNS-rebinding page
 * reaches 127.0.0.1 under its own name, which is refused.
 * @param host the Host header
 * @returns true for a loopback name
 */
export function isLoopbackHost(host: string | null): boolean {
  const m = /^(\[[^\]]*\]|[^:]+)(?::(\d{1,5}))?$/.exec((host ?? "").trim().toLowerCase());
  return m !== null && LOOPBACK.has(m[1]);
}
