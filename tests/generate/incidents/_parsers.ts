/**
 * Strict parsers written from each format's specification, independent of the generators: PostgreSQL stderr log
 * lines with `log_line_prefix = '%m [%p] %q%u@%d '`, the MySQL 8 error log and slow query log, MongoDB structured
 * (JSON) log lines, CloudFront W3C access logs and RFC 5322 messages. Each throws on the first violation, naming the
 * line; each returns one entry per record.
 * @module
 */

/** A parsed log record: where it starts, how many physical lines, its timestamp and level. */
export interface ParsedRecord {
  line: number;
  lines: number;
  ms: number;
  level: string;
  text: string;
}

function fail(what: string, line: number, rule: string, got: string): never {
  throw new Error(`${what} line ${line}: ${rule}, got ${JSON.stringify(got.slice(0, 160))}`);
}

function realDate(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return NaN;
  // Date.parse accepts 2024-02-30; a real date round-trips.
  return new Date(ms).toISOString().slice(0, 10) === iso.slice(0, 10) ? ms : NaN;
}

const PG_LEVELS = "DEBUG[1-5]|INFO|NOTICE|WARNING|ERROR|LOG|FATAL|PANIC|DETAIL|HINT|QUERY|CONTEXT|LOCATION|STATEMENT";
// %m = "YYYY-MM-DD HH:MM:SS.mmm TZ", [%p], %q stops here for background processes, then "%u@%d " for sessions.
const PG_LINE = new RegExp(
  `^(\\d{4}-\\d{2}-\\d{2}) (\\d{2}:\\d{2}:\\d{2}\\.\\d{3}) UTC \\[(\\d+)\\] (?:([^\\s@]+)@([^\\s@]+) )?(${PG_LEVELS}):  (\\S.*)$`,
);
const PG_SECONDARY = new Set(["DETAIL", "HINT", "QUERY", "CONTEXT", "LOCATION", "STATEMENT"]);

/**
 * PostgreSQL stderr log: every line a prefixed message or a tab-indented continuation; DETAIL/HINT/STATEMENT...
 * only after a primary message of the same process.
 */
export function parsePostgres(text: string): ParsedRecord[] {
  const lines = text.split("\n");
  if (lines.at(-1) !== "") fail("postgresql", lines.length, "the file must end with a newline", lines.at(-1)!);
  lines.pop();
  const out: ParsedRecord[] = [];
  let lastPid = -1;
  lines.forEach((l, i) => {
    if (l.startsWith("\t")) {
      if (out.length === 0 || l.length < 2) fail("postgresql", i + 1, "a continuation line must follow a message", l);
      out[out.length - 1].lines++;
      return;
    }
    const m = PG_LINE.exec(l);
    if (!m) fail("postgresql", i + 1, "must match '%m [%p] %q%u@%d LEVEL:  message'", l);
    const ms = realDate(`${m[1]}T${m[2]}Z`);
    if (Number.isNaN(ms)) fail("postgresql", i + 1, "must carry a real timestamp", l);
    const pid = Number(m[3]);
    if (PG_SECONDARY.has(m[6])) {
      if (pid !== lastPid || out.length === 0) {
        fail("postgresql", i + 1, `${m[6]} must follow a message of its process`, l);
      }
      out[out.length - 1].lines++;
      return;
    }
    lastPid = pid;
    out.push({ line: i + 1, lines: 1, ms, level: m[6], text: l });
  });
  return out;
}

const MYSQL_ERR =
  /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2}\.\d{6})Z (\d+) \[(System|ERROR|Warning|Note)\] \[MY-(\d{6})\] \[(Server|InnoDB|Repl|Auth|Parser)\] (\S.*)$/;

/** MySQL 8 error log (`log_timestamps = UTC`): `time thread [label] [MY-nnnnnn] [subsystem] message`. */
export function parseMysqlError(text: string): ParsedRecord[] {
  const lines = text.split("\n");
  if (lines.at(-1) !== "") fail("mysql error log", lines.length, "the file must end with a newline", lines.at(-1)!);
  lines.pop();
  return lines.map((l, i) => {
    const m = MYSQL_ERR.exec(l);
    if (!m) fail("mysql error log", i + 1, "must match 'time thread [label] [MY-code] [subsystem] message'", l);
    const ms = realDate(`${m[1]}T${m[2].slice(0, 12)}Z`);
    if (Number.isNaN(ms)) fail("mysql error log", i + 1, "must carry a real timestamp", l);
    return { line: i + 1, lines: 1, ms, level: m[4] === "ERROR" ? "Error" : m[4], text: l };
  });
}

const SLOW_BANNER = [
  /^\/usr\/sbin\/mysqld, Version: 8\.\d+\.\d+ \(.+\)\. started with:$/,
  /^Tcp port: \d+ {2}Unix socket: \S+$/,
  /^Time {17}Id Command {4}Argument$/,
];

/** MySQL slow query log: the three-line banner, then entries of `# Time`, `# User@Host`, `# Query_time`, `SET timestamp`, SQL. */
export function parseMysqlSlow(text: string): ParsedRecord[] {
  const lines = text.split("\n");
  if (lines.at(-1) !== "") fail("mysql slow log", lines.length, "the file must end with a newline", lines.at(-1)!);
  lines.pop();
  SLOW_BANNER.forEach((re, i) => {
    if (!re.test(lines[i] ?? "")) fail("mysql slow log", i + 1, `banner line must match ${re}`, lines[i] ?? "");
  });
  const out: ParsedRecord[] = [];
  let i = 3;
  while (i < lines.length) {
    const start = i;
    const t = /^# Time: (\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2}\.\d{6})Z$/.exec(lines[i]);
    if (!t) fail("mysql slow log", i + 1, "an entry must start with '# Time: <ISO time with microseconds>Z'", lines[i]);
    const ms = realDate(`${t[1]}T${t[2].slice(0, 12)}Z`);
    i++;
    // `Id: %5u`: right-aligned in five columns, wider numbers unpadded.
    const id = /^# User@Host: \w+\[\w+\] @ {2}\[[0-9a-f.:]+\] {2}Id: ( *\d+)$/.exec(lines[i] ?? "");
    if (!id || id[1].length !== Math.max(5, id[1].trim().length)) {
      fail("mysql slow log", i + 1, "second line must be '# User@Host: user[user] @  [ip]  Id: %5u'", lines[i] ?? "");
    }
    i++;
    const qt = /^# Query_time: (\d+\.\d{6}) {2}Lock_time: \d+\.\d{6} Rows_sent: \d+ {2}Rows_examined: \d+$/.exec(
      lines[i] ?? "",
    );
    if (!qt) {
      fail(
        "mysql slow log",
        i + 1,
        "third line must be '# Query_time: s  Lock_time: s Rows_sent: n  Rows_examined: n'",
        lines[i] ?? "",
      );
    }
    i++;
    if (/^use \w+;$/.test(lines[i] ?? "")) i++;
    const set = /^SET timestamp=(\d+);$/.exec(lines[i] ?? "");
    // mysqld writes `# Time` when the statement ends and `SET timestamp` with the second it started.
    if (!set || Number(set[1]) !== Math.floor((ms - Number(qt![1]) * 1000) / 1000)) {
      const rule = "must be 'SET timestamp=<the second the statement started: # Time - Query_time>;'";
      if (!set || Math.abs(Number(set[1]) - (ms - Number(qt![1]) * 1000) / 1000) > 1) {
        fail("mysql slow log", i + 1, rule, lines[i] ?? "");
      }
    }
    i++;
    let sql = 0;
    while (i < lines.length && !lines[i].startsWith("# Time: ")) {
      sql++;
      i++;
    }
    if (sql === 0 || !lines[i - 1].endsWith(";")) {
      fail("mysql slow log", i, "an entry must end with an SQL statement ending in ';'", lines[i - 1]);
    }
    out.push({ line: start + 1, lines: i - start, ms, level: "Slow", text: lines.slice(start, i).join("\n") });
  }
  return out;
}

const MONGO_HEAD =
  /^\{"t":\{"\$date":"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3})\+00:00"\},"s":"(F|E|W|I|D[1-5])", +"c":"([A-Z_]+|-)", +"id":\d+, *"ctx":"[^"]*","msg":/;
const MONGO_KEYS = ["t", "s", "c", "id", "ctx", "msg"];

/** MongoDB 4.4+ structured log: one JSON document a line, keys `t, s, c, id, ctx, msg[, attr]` in that order. */
export function parseMongo(text: string): ParsedRecord[] {
  const lines = text.split("\n");
  if (lines.at(-1) !== "") fail("mongodb", lines.length, "the file must end with a newline", lines.at(-1)!);
  lines.pop();
  return lines.map((l, i) => {
    const m = MONGO_HEAD.exec(l);
    if (!m) fail("mongodb", i + 1, 'must start {"t":{"$date":...},"s":...,"c":...,"id":...,"ctx":...,"msg":', l);
    let doc: Record<string, unknown>;
    try {
      doc = JSON.parse(l);
    } catch {
      fail("mongodb", i + 1, "must be one JSON document", l);
    }
    const keys = Object.keys(doc);
    const want = "attr" in doc ? [...MONGO_KEYS, "attr"] : MONGO_KEYS;
    if (keys.join() !== want.join()) fail("mongodb", i + 1, `keys must be ${want.join(",")}`, keys.join());
    if (!Number.isInteger(doc.id)) fail("mongodb", i + 1, "id must be an integer", String(doc.id));
    if ("attr" in doc && (typeof doc.attr !== "object" || doc.attr === null)) {
      fail("mongodb", i + 1, "attr must be an object", l);
    }
    const ms = realDate(`${m[1]}Z`);
    if (Number.isNaN(ms)) fail("mongodb", i + 1, "must carry a real timestamp", l);
    return { line: i + 1, lines: 1, ms, level: m[2], text: l };
  });
}

/** The 33 W3C fields of a CloudFront standard log, from the CloudFront developer guide. */
export const W3C_FIELDS =
  "date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end"
    .split(" ");
const RESULT_TYPES = new Set(["Hit", "RefreshHit", "Miss", "LimitExceeded", "CapacityExceeded", "Error", "Redirect"]);
const DETAILED_TYPES = new Set([
  ...RESULT_TYPES,
  "OriginShieldHit",
  "MissGeneratedResponse",
  "AbortedOrigin",
  "ClientCommError",
  "ClientGeoBlocked",
  "ClientHungUpRequest",
  "InvalidRequest",
  "InvalidRequestBlocked",
  "InvalidRequestCertificate",
  "InvalidRequestHeader",
  "InvalidRequestMethod",
  "OriginCommError",
  "OriginConnectError",
  "OriginContentRangeLengthError",
  "OriginDnsError",
  "OriginError",
  "OriginHeaderTooBigError",
  "OriginInvalidResponseError",
  "OriginReadError",
  "OriginWriteError",
  "OriginZeroSizeObjectError",
  "SlowReaderOriginError",
]);
const CF_CHECKS: Record<string, RegExp> = {
  "date": /^\d{4}-\d{2}-\d{2}$/,
  "time": /^\d{2}:\d{2}:\d{2}$/,
  "x-edge-location": /^[A-Z]{3}\d{1,3}-[A-Z]\d{1,2}$/,
  "sc-bytes": /^\d+$/,
  "c-ip": /^(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}|[0-9a-f:]+)$/,
  "cs-method": /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)$/,
  "cs(Host)": /^[a-z0-9]+\.cloudfront\.net$/,
  "cs-uri-stem": /^\/\S*$/,
  "sc-status": /^(000|[1-5]\d\d)$/,
  "cs(User-Agent)": /^[^\s]+$/,
  "x-edge-request-id": /^[A-Za-z0-9_-]{53}[AQgw]==$/,
  "cs-protocol": /^(http|https|ws|wss)$/,
  "cs-bytes": /^\d+$/,
  "time-taken": /^\d+\.\d{3}$/,
  "ssl-protocol": /^(-|TLSv1(\.[0-3])?|SSLv3)$/,
  "cs-protocol-version": /^(HTTP\/(0\.9|1\.0|1\.1|2\.0|3\.0)|-)$/,
  "c-port": /^\d{1,5}$/,
  "time-to-first-byte": /^\d+\.\d{3,6}$/,
  "sc-content-len": /^(-|\d+)$/,
  "sc-range-start": /^(-|\d+)$/,
  "sc-range-end": /^(-|\d+)$/,
};

/** A CloudFront standard log file: `#Version: 1.0`, the 33-field `#Fields:` header, tab-separated lines, `-` for empty. */
export function parseCloudFront(text: string): ParsedRecord[] {
  const lines = text.split("\n");
  if (lines.at(-1) !== "") fail("cloudfront", lines.length, "the file must end with a newline", lines.at(-1)!);
  lines.pop();
  if (lines[0] !== "#Version: 1.0") fail("cloudfront", 1, "must be '#Version: 1.0'", lines[0] ?? "");
  if (lines[1] !== `#Fields: ${W3C_FIELDS.join(" ")}`) {
    fail("cloudfront", 2, "must list the 33 fields in order", lines[1] ?? "");
  }
  const out: ParsedRecord[] = [];
  for (let i = 2; i < lines.length; i++) {
    const f = lines[i].split("\t");
    if (f.length !== 33) fail("cloudfront", i + 1, "must have 33 tab-separated fields", lines[i]);
    f.forEach((v, k) => {
      if (v === "" || /\s/.test(v)) {
        fail("cloudfront", i + 1, `${W3C_FIELDS[k]} must be non-empty without spaces ('-' for none)`, v);
      }
      const re = CF_CHECKS[W3C_FIELDS[k]];
      if (re && !re.test(v)) fail("cloudfront", i + 1, `${W3C_FIELDS[k]} must match ${re}`, v);
    });
    if (!RESULT_TYPES.has(f[13]) || !RESULT_TYPES.has(f[22])) {
      fail("cloudfront", i + 1, "result types must be known", `${f[13]} ${f[22]}`);
    }
    if (!DETAILED_TYPES.has(f[28])) fail("cloudfront", i + 1, "x-edge-detailed-result-type must be known", f[28]);
    if (Number(f[27]) > Number(f[18])) {
      fail("cloudfront", i + 1, "time-to-first-byte must not exceed time-taken", `${f[27]} > ${f[18]}`);
    }
    const ms = realDate(`${f[0]}T${f[1]}Z`);
    if (Number.isNaN(ms)) fail("cloudfront", i + 1, "must carry a real date and time", `${f[0]} ${f[1]}`);
    out.push({ line: i + 1, lines: 1, ms, level: f[8], text: lines[i] });
  }
  return out;
}

/** A parsed RFC 5322 message. */
export interface ParsedMessage {
  headers: Map<string, string>;
  body: string;
  date: number;
  messageId: string;
  inReplyTo: string | null;
  references: string[];
}

const DAY_NAMES = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const MSG_ID =
  /^<[A-Za-z0-9!#$%&'*+\/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+\/=?^_`{|}~-]+)*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+>$/;
const MAILBOX = /^(?:"[^"\\\r\n]*" )?<?[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+>?$/;

/**
 * An RFC 5322 message: CRLF line endings only, lines of at most 998 characters, US-ASCII, header fields
 * `name: value` with folding, a blank line, the body. Requires Date (a valid date-time whose day name matches),
 * From, To, Subject and Message-ID (`<left@right>`); In-Reply-To and References must agree.
 */
export function parseEml(text: string): ParsedMessage {
  if (/\r(?!\n)|(?<!\r)\n/.test(text)) throw new Error("eml: line endings must be CRLF only");
  if (/[\u0080-\uffff]/.test(text)) throw new Error("eml: must be US-ASCII");
  const lines = text.split("\r\n");
  lines.forEach((l, i) => {
    if (l.length > 998) fail("eml", i + 1, "lines must be at most 998 characters", l);
  });
  const blank = lines.indexOf("");
  if (blank <= 0) throw new Error("eml: header section must be followed by a blank line");
  const headers = new Map<string, string>();
  let last = "";
  for (let i = 0; i < blank; i++) {
    const l = lines[i];
    if (/^[ \t]/.test(l)) {
      if (last === "") fail("eml", i + 1, "a folded line must continue a header field", l);
      headers.set(last, `${headers.get(last)}${l}`);
      continue;
    }
    const m = /^([!-9;-~]+):[ \t]?(.*)$/.exec(l);
    if (!m) fail("eml", i + 1, "must be 'Name: value'", l);
    last = m[1].toLowerCase();
    if (
      headers.has(last) && ["date", "from", "to", "subject", "message-id", "in-reply-to", "references"].includes(last)
    ) {
      fail("eml", i + 1, "must not repeat a single-occurrence field", l);
    }
    headers.set(last, m[2]);
  }
  for (const required of ["date", "from", "to", "subject", "message-id"]) {
    if (!headers.has(required)) throw new Error(`eml: the ${required} field is required`);
  }
  const dm =
    /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2}) ([+-]\d{4})$/
      .exec(headers.get("date")!);
  if (!dm) throw new Error(`eml: Date must be an RFC 5322 date-time, got ${headers.get("date")}`);
  const date = Date.UTC(
    Number(dm[4]),
    MONTH_NAMES.indexOf(dm[3]),
    Number(dm[2]),
    Number(dm[5]),
    Number(dm[6]),
    Number(dm[7]),
  );
  const off = (dm[8][0] === "-" ? -1 : 1) * (Number(dm[8].slice(1, 3)) * 60 + Number(dm[8].slice(3))) * 60_000;
  const utc = date - off;
  if (new Date(date).getUTCDate() !== Number(dm[2]) || DAY_NAMES[new Date(date).getUTCDay()] !== dm[1]) {
    throw new Error(`eml: Date must be a real date with its day name, got ${headers.get("date")}`);
  }
  for (const field of ["from", "to", "cc"]) {
    const v = headers.get(field);
    if (v === undefined) continue;
    for (const box of v.split(/,\s*/)) {
      if (!MAILBOX.test(box.trim())) throw new Error(`eml: ${field} must list mailboxes, got ${JSON.stringify(box)}`);
    }
  }
  const messageId = headers.get("message-id")!.trim();
  if (!MSG_ID.test(messageId)) throw new Error(`eml: Message-ID must be <left@right>, got ${messageId}`);
  const inReplyTo = headers.get("in-reply-to")?.trim() ?? null;
  const references = (headers.get("references") ?? "").trim().split(/\s+/).filter((s) => s !== "");
  for (const r of [...references, ...(inReplyTo ? [inReplyTo] : [])]) {
    if (!MSG_ID.test(r)) throw new Error(`eml: threading ids must be <left@right>, got ${r}`);
  }
  if ((inReplyTo === null) !== (references.length === 0) || (inReplyTo !== null && references.at(-1) !== inReplyTo)) {
    throw new Error("eml: References must end with the In-Reply-To id (and both be present or absent)");
  }
  return {
    headers,
    body: lines.slice(blank + 1).join("\r\n"),
    date: utc,
    messageId: messageId.slice(1, -1),
    inReplyTo: inReplyTo?.slice(1, -1) ?? null,
    references: references.map((r) => r.slice(1, -1)),
  };
}
