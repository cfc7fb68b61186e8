/**
 * E-mails as files: RFC 5322 text (`.eml`), the file path inside the dataset, and the e-mail index table.
 * @module
 */
import pl from "nodejs-polars";
import type { Person } from "../text.ts";
import { wrap } from "../text.ts";
import type { Email } from "./_thread.ts";
import { stringLists } from "@lib/schema/dtypes.ts";

function formatAddress(p: Person): string {
  return p.name ? `"${p.name.replace(/["\\]/g, "")}" <${p.address}>` : p.address;
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * An RFC 5322 date-time, e.g. `Mon, 04 Mar 2024 14:30:22 +0000`.
 * @param ms epoch milliseconds
 * @returns the text
 */
export function rfc5322Date(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${DAYS[d.getUTCDay()]}, ${p(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${
    p(d.getUTCHours())
  }:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** Folds one header field at spaces so no line exceeds 78 characters where a space allows it. */
function header(name: string, value: string): string {
  const words = value.split(" ");
  const lines: string[] = [];
  let cur = `${name}:`;
  for (const w of words) {
    if (cur.length + 1 + w.length > 78 && cur.trim() !== `${name}:`) {
      lines.push(cur);
      cur = " " + w;
    } else cur += " " + w;
  }
  lines.push(cur);
  return lines.join("\r\n");
}

/**
 * Renders a message as RFC 5322 text (CRLF line endings, US-ASCII, folded headers, body wrapped at 72).
 * @param e the message
 * @returns the `.eml` text
 * @example
 * ```ts
 * import { IncidentsConfig, planEmails, planIncidents, renderEml } from "@lib/generate/incidents/mod.ts";
 * const [first] = planEmails(planIncidents(IncidentsConfig.parse({ to: "2024-03-06" })));
 * renderEml(first).startsWith("Date: "); // true
 * ```
 */
export function renderEml(e: Email): string {
  const lines = [
    header("Date", rfc5322Date(e.date)),
    header("From", formatAddress(e.from)),
    header("To", e.to.map(formatAddress).join(", ")),
    ...(e.cc.length ? [header("Cc", e.cc.map(formatAddress).join(", "))] : []),
    header("Subject", e.subject),
    header("Message-ID", `<${e.messageId}>`),
    ...(e.inReplyTo ? [header("In-Reply-To", `<${e.inReplyTo}>`)] : []),
    ...(e.references.length ? [header("References", e.references.map((r) => `<${r}>`).join(" "))] : []),
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=us-ascii",
    "Content-Transfer-Encoding: 7bit",
    "",
    ...wrap(e.body, 72),
    "",
  ];
  return lines.join("\r\n");
}

/**
 * The file of a message inside the dataset: `emails/<date>/<hhmmss>-<id hash>.eml`.
 * @param e the message
 * @returns the relative path
 */
export function emlPath(e: Email): string {
  const iso = new Date(e.date).toISOString();
  const tag = e.messageId.split(".")[1].slice(0, 10);
  return `emails/${iso.slice(0, 10)}/${iso.slice(11, 19).replaceAll(":", "")}-${tag}.eml`;
}

/**
 * The e-mail index table: one row per message with its file, headers, thread, kind and incident label.
 * @param emails the messages
 * @param nearDuplicate per message, whether another message is a near-duplicate of it
 * @returns the frame
 */
export function emailIndexFrame(emails: readonly Email[], nearDuplicate: readonly boolean[]): pl.DataFrame {
  const s = (name: string, f: (e: Email) => string | null) => pl.Series(name, emails.map(f), pl.String);
  const l = (name: string, f: (e: Email) => string[]) => stringLists(name, emails.map(f));
  return pl.DataFrame([
    s("message_id", (e) => e.messageId),
    s("file", emlPath),
    pl.Series("date", Float64Array.from(emails, (e) => e.date)).cast(pl.Int64).cast(pl.Datetime("ms", "UTC")),
    s("from_address", (e) => e.from.address),
    s("from_name", (e) => e.from.name),
    l("to", (e) => e.to.map((p) => p.address)),
    l("cc", (e) => e.cc.map((p) => p.address)),
    s("subject", (e) => e.subject),
    s("in_reply_to", (e) => e.inReplyTo),
    l("references", (e) => e.references),
    s("thread_id", (e) => e.threadId),
    s("kind", (e) => e.kind),
    pl.Series("body_chars", Int32Array.from(emails, (e) => e.body.length)),
    pl.Series("near_duplicate", [...nearDuplicate], pl.Bool),
    s("incident_id", (e) => e.incidentId),
  ]);
}
