/**
 * Detectors of personal data in one line of text: each finds candidates with a regular expression, then keeps
 * those that pass the rules a regular expression cannot say (octets, checksums, number plans, context) and are not
 * allowed by design (reserved domains, documentation ranges, addresses truncated by ingest, fictional numbers and
 * names).
 * @module
 */
import { AMBIGUOUS_GIVEN, FICTIONAL_SURNAMES, GIVEN_NAMES, NOT_SURNAMES, TITLES } from "./names.ts";

/** The kinds of personal data the detectors look for. */
export const PII_KINDS = ["email", "ipv4", "ipv6", "phone", "card", "ssn", "iban", "name"] as const;
/** A kind of personal data. */
export type PiiKind = typeof PII_KINDS[number];

/** One piece of personal data found in a text. */
export interface PiiMatch {
  /** The detector that found it. */
  kind: PiiKind;
  /** The text as found (never print it: {@linkcode maskPii}). */
  value: string;
  /** Where it starts in the text. */
  index: number;
}

/** Options of {@linkcode detectPii}. */
export interface DetectPiiOptions {
  /** The detectors to run. @default all of {@linkcode PII_KINDS} */
  kinds?: readonly PiiKind[];
  /** The line before, for context that spans lines (a signature under `Regards,`). @default "" */
  previous?: string;
}

/** Up to `n` characters before `index`, within its line. */
function before(text: string, index: number, n: number): string {
  const start = text.lastIndexOf("\n", index - 1) + 1;
  return text.slice(Math.max(start, index - n), index);
}

/** The line holding `index`, and the line before it (`previous` for the first line). */
function lineAt(text: string, index: number, previous: string): { line: string; prev: string } {
  const start = text.lastIndexOf("\n", index - 1) + 1;
  let end = text.indexOf("\n", index);
  if (end < 0) end = text.length;
  const prevStart = start === 0 ? -1 : text.lastIndexOf("\n", start - 2) + 1;
  return { line: text.slice(start, end), prev: prevStart < 0 ? previous : text.slice(prevStart, start - 1) };
}

// ---------------------------------------------------------------------------------------------------------------
// E-mail addresses, plain, %40-encoded and obfuscated (`jane dot doe at gmail dot com`, `jane[at]gmail[dot]com`)

const LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
const AT_BRACKET = "[ \\t]*(?:\\[at\\]|\\(at\\)|\\{at\\}|<at>|\\[@\\]|\\(@\\))[ \\t]*";
const DOT_OBF = "[ \\t]*(?:\\[dot\\]|\\(dot\\)|\\{dot\\}|<dot>)[ \\t]*|[ \\t]+dot[ \\t]+";
/** The "at" of an obfuscated address; the parts around it are matched from it, in bounded slices. */
const OBF_AT = new RegExp(`${AT_BRACKET}|[ \\t]+(?:at|AT)[ \\t]+`, "g");
const OBF_LOCAL = new RegExp(`(?:^|[^A-Za-z0-9._%+-])([A-Za-z0-9_%+-]+(?:(?:\\.|${DOT_OBF})[A-Za-z0-9_%+-]+)*)$`, "i");
const OBF_DOMAIN = new RegExp(
  `^(${LABEL}(?:(?:\\.|${DOT_OBF})${LABEL})*(?:\\.|${DOT_OBF})[A-Za-z]{2,24})(?![A-Za-z0-9-])`,
  "i",
);
const DOT_OBF_RE = new RegExp(DOT_OBF, "i");
/** Top-level domains an obfuscated address may end in (`at host dot local` is not an address). */
const MAIL_TLDS = new Set(
  ("com net org edu gov mil int io co uk de fr es it nl be ch at se no dk fi pl cz ru ua in cn jp kr au nz ca us " +
    "br mx ar cl za ng ke eg ie pt gr tr il ae sa sg hk tw my id th vn ph info biz me tv app dev email mail online")
    .split(" "),
);
/** File extensions that look like top-level domains (`logo@2x.png`). */
const FILE_TLDS = new Set(
  "png jpg jpeg gif svg webp ico css js mjs ts json html htm txt log xml csv pdf zip gz tar md yaml yml".split(" "),
);
/** Mailboxes of systems, not people (`git@github.com:org/repo.git`, bounces). */
const ROLE_ACCOUNTS = new Set(["git", "noreply", "no-reply", "donotreply", "postmaster", "mailer-daemon", "root"]);
/** RFC 2606 / 6761 / 6762 names nobody's mailbox lives at. */
const RESERVED_DOMAIN =
  /(?:^|\.)(?:example\.(?:com|net|org)|[a-z0-9-]+\.(?:example|test|invalid|localhost|local|internal)|localhost)$/i;

function normaliseDots(s: string): string {
  return s.replace(new RegExp(DOT_OBF, "gi"), ".");
}

function emailAllowed(domain: string): boolean {
  const tld = domain.slice(domain.lastIndexOf(".") + 1).toLowerCase();
  return RESERVED_DOMAIN.test(domain) || FILE_TLDS.has(tld);
}

const isAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
/** `[A-Za-z0-9._%+-]` and `[A-Za-z0-9.-]` by character code. */
const isLocal = (c: number) => isAlnum(c) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45;
const isDomain = (c: number) => isAlnum(c) || c === 46 || c === 45;
const DOMAIN = new RegExp(`^${LABEL}(?:\\.${LABEL})*\\.[A-Za-z]{2,24}$`);

/** Plain and %40-encoded addresses, found from their `@` (a regular expression would try every word). */
function findPlainEmails(text: string, out: PiiMatch[], sep: string): void {
  for (let at = text.indexOf(sep); at >= 0; at = text.indexOf(sep, at + sep.length)) {
    let start = at;
    while (start > 0 && isLocal(text.charCodeAt(start - 1))) start--;
    let end = at + sep.length;
    while (end < text.length && isDomain(text.charCodeAt(end))) end++;
    let domain = text.slice(at + sep.length, end);
    while (domain.endsWith(".") || domain.endsWith("-")) domain = domain.slice(0, -1);
    // "%40" inside a URL-encoded local part ("a%2Bb%40x.com") leaves "%2B": the local part is what precedes.
    const local = text.slice(start, at).replace(/^[._%+-]+/, "");
    if (local === "" || ROLE_ACCOUNTS.has(local.toLowerCase()) || !DOMAIN.test(domain) || emailAllowed(domain)) {
      continue;
    }
    const from = at - local.length;
    out.push({ kind: "email", value: text.slice(from, at + sep.length + domain.length), index: from });
  }
}

function findEmails(text: string, out: PiiMatch[]): void {
  if (text.includes("@")) findPlainEmails(text, out, "@");
  if (text.includes("%40")) findPlainEmails(text, out, "%40");
  if (!/\bat\b|\[at\]|\(at\)|\{at\}|<at>|\[@\]|\(@\)/i.test(text)) return;
  for (const at of text.matchAll(OBF_AT)) {
    const lineStart = text.lastIndexOf("\n", at.index! - 1) + 1;
    const local = OBF_LOCAL.exec(text.slice(Math.max(lineStart, at.index! - 80), at.index!))?.[1];
    const tail = at.index! + at[0].length;
    const end = text.indexOf("\n", tail);
    const domainText = OBF_DOMAIN.exec(text.slice(tail, Math.min(end < 0 ? text.length : end, tail + 120)))?.[1];
    if (!local || !domainText) continue;
    const bracketed = !/^[ \t]+at[ \t]+$/i.test(at[0]);
    // "at" as a word needs an obfuscated dot too: "retry at api.github.com" is a sentence, not an address.
    if (!bracketed && !DOT_OBF_RE.test(local) && !DOT_OBF_RE.test(domainText)) continue;
    const domain = normaliseDots(domainText);
    const tld = domain.slice(domain.lastIndexOf(".") + 1).toLowerCase();
    if (!MAIL_TLDS.has(tld) || emailAllowed(domain)) continue;
    const index = at.index! - local.length;
    if (out.some((o) => o.kind === "email" && o.index < tail + domainText.length && index < o.index + o.value.length)) {
      continue;
    }
    out.push({ kind: "email", value: text.slice(index, tail + domainText.length), index });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// IPv4 (zero-padded octets too) and IPv6

/** Words after which a dotted quad is a version (`version 1.2.3.4`, `Chrome/120.0.6099.71`, `build 10.0.19045.1`). */
const VERSION_BEFORE =
  /(?:\b(?:version|ver|v|release|rel|build|firmware|fw|revision|rev|kernel|driver|patch|update|sp|api|schema|protocol|tls|ssl|http|oid)[\s:=#_-]*|[A-Za-z][\w.-]*\/)$/i;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isHex = (c: number) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const isWord = (c: number) => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
function v4Allowed(o: number[]): boolean {
  const [a, b, c, d] = o;
  if (a === 192 && b === 0 && c === 2) return true; // RFC 5737 TEST-NET-1
  if (a === 198 && b === 51 && c === 100) return true; // TEST-NET-2
  if (a === 203 && b === 0 && c === 113) return true; // TEST-NET-3
  if (a === 127 || a === 255 || a === 0) return true; // loopback, masks and broadcast, "this network"
  // An address truncated to its /24 by ingest (lib/ingest/cloudfront writes a.b.c.0) names a network, not a host.
  return d === 0;
}

/**
 * Dotted quads, found from the dots (a hand-written scan: a regular expression tries every digit of a log line,
 * this looks only where there is a dot).
 */
function findIpv4(text: string, out: PiiMatch[]): void {
  let next = 0;
  for (let dot = text.indexOf("."); dot >= 0; dot = text.indexOf(".", Math.max(dot + 1, next))) {
    let start = dot;
    while (start > 0 && dot - start < 3 && isDigit(text.charCodeAt(start - 1))) start--;
    if (start === dot || (start > 0 && (isWord(text.charCodeAt(start - 1)) || text[start - 1] === "."))) continue;
    const octets: number[] = [];
    let i = start, ok = true;
    for (let part = 0; part < 4 && ok; part++) {
      let j = i;
      while (j < text.length && j - i < 4 && isDigit(text.charCodeAt(j))) j++;
      if (j === i || j - i > 3) ok = false;
      else {
        octets.push(Number(text.slice(i, j)));
        i = j;
        if (part < 3) {
          if (text[i] === ".") i++;
          else ok = false;
        }
      }
    }
    if (!ok) continue;
    next = i;
    const after = text.charCodeAt(i);
    if (isWord(after) || (after === 46 && isDigit(text.charCodeAt(i + 1)))) continue;
    if (octets.some((o) => o > 255) || v4Allowed(octets)) continue;
    if (VERSION_BEFORE.test(before(text, start, 24))) continue;
    out.push({ kind: "ipv4", value: text.slice(start, i), index: start });
  }
}

/** The eight groups of an IPv6 address, or undefined when the text is not one. */
export function ipv6Groups(text: string): number[] | undefined {
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const parse = (s: string) => s === "" ? [] : s.split(":");
  const head = parse(halves[0]), tail = halves.length === 2 ? parse(halves[1]) : [];
  const parts = [...head, ...tail];
  if (parts.some((p) => !/^[0-9A-Fa-f]{1,4}$/.test(p))) return undefined;
  if (halves.length === 1 && parts.length !== 8) return undefined;
  if (halves.length === 2 && parts.length > 7) return undefined;
  const fill = 8 - parts.length;
  return [...head, ...Array(halves.length === 2 ? fill : 0).fill("0"), ...tail].map((p) => parseInt(p, 16));
}

function v6Allowed(g: number[]): boolean {
  if (g[0] === 0x2001 && g[1] === 0x0db8) return true; // RFC 3849 documentation prefix
  if (g.slice(0, 7).every((x) => x === 0) && g[7] <= 1) return true; // :: and ::1
  // Truncated to its /48 by ingest (`2001:db8:85a3::`): nothing past the third group.
  return g.slice(3).every((x) => x === 0);
}

/** Colon-separated hex tokens, found from the colons, then parsed. */
function findIpv6(text: string, out: PiiMatch[]): void {
  let next = 0;
  for (let colon = text.indexOf(":"); colon >= 0; colon = text.indexOf(":", Math.max(colon + 1, next))) {
    let start = colon, end = colon + 1;
    while (start > 0 && (isHex(text.charCodeAt(start - 1)) || text[start - 1] === ":")) start--;
    while (end < text.length && (isHex(text.charCodeAt(end)) || text[end] === ":")) end++;
    next = end;
    const token = text.slice(start, end);
    if (token.length < 3 || token.indexOf(":") === token.lastIndexOf(":")) continue;
    const b = text.charCodeAt(start - 1), a = text.charCodeAt(end);
    // A dot before, or a dot and a digit after, is an embedded IPv4 or a version: the IPv4 scan has it.
    if (isWord(b) || b === 46 || (a === 46 && isDigit(text.charCodeAt(end + 1))) || (isWord(a) && text[end] !== "%")) {
      continue;
    }
    const g = ipv6Groups(token);
    if (g && !v6Allowed(g)) out.push({ kind: "ipv6", value: token, index: start });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Phone numbers: international (+CC ...), North American (with separators, or 10 bare digits with context),
// national trunk-prefixed formats (020 7946 0958, 06 12 34 56 78)

const PHONE_INTL = /(?<![\w+.])\+[1-9]\d{0,2}(?:[ .-]?\(\d{1,4}\))?(?:[ .-]?\d{1,5}){1,6}(?![\w.]?\d)/g;
// The exchange may start with 0 or 1 here: "(555) 123-4567" is written as a phone number whether or not it is valid.
const PHONE_NANP =
  /(?<![\w.+-])(?:1[ .-]?)?(?:\(([2-9]\d{2})\)[ .-]?|([2-9]\d{2})[ .-])(\d{3})[ .-](\d{4})(?![\w-]|\.\d)/g;
const PHONE_BARE = /(?<![\w.+-])([2-9]\d{2})([2-9]\d{2})(\d{4})(?![\w.-]?\d)/g;
const PHONE_NATIONAL = /(?<![\w.+:/-])0\d{1,4}(?:[ -]\d{2,8}){1,4}(?![\w:/-]|\.\d)/g;
/** Words that make a bare 10-digit number a phone number. */
const PHONE_CONTEXT =
  /(?:\b(?:phone|tel|telephone|mobile|cell|call|fax|sms|text|dial|ring|reach|whatsapp|msisdn|contact|number|no\.)(?:\W+(?:me|us|him|her|them|at|on|to)){0,2}|#)\W{0,4}$/i;

function nanpFictional(exchange: string, line: string): boolean {
  // 555-0100 to 555-0199 are reserved for fiction in the North American plan.
  return exchange === "555" && /^01\d\d$/.test(line);
}

function findPhones(text: string, out: PiiMatch[]): void {
  const seen: [number, number][] = [];
  const add = (value: string, index: number) => {
    if (seen.some(([a, b]) => index < b && a < index + value.length)) return;
    seen.push([index, index + value.length]);
    out.push({ kind: "phone", value, index });
  };
  if (text.includes("+")) {
    for (const m of text.matchAll(PHONE_INTL)) {
      const digits = m[0].replace(/\D/g, "");
      if (digits.length < 8 || digits.length > 15) continue;
      const nanp = /^1([2-9]\d\d)([2-9]\d\d)(\d{4})$/.exec(digits);
      if (nanp && nanpFictional(nanp[2], nanp[3])) continue;
      add(m[0].trimEnd(), m.index!);
    }
  }
  for (const m of text.matchAll(PHONE_NANP)) {
    if (nanpFictional(m[3], m[4])) continue;
    // "2024 123 4567"-like runs in logs: require a visible phone shape, ( ) or the same separator twice.
    const seps = m[0].replace(/^1[ .-]?/, "").replace(/[\d()]/g, "");
    if (!m[1] && seps.length === 2 && seps[0] !== seps[1]) continue;
    add(m[0], m.index!);
  }
  for (const m of text.matchAll(PHONE_BARE)) {
    if (nanpFictional(m[2], m[3])) continue;
    const ctx = before(text, m.index!, 24);
    const key = /"?([A-Za-z_-]+)"?\s*[:=]\s*"?$/.exec(ctx)?.[1];
    if (key !== undefined ? !/phone|tel|mobile|cell|fax|msisdn|contact/i.test(key) : !PHONE_CONTEXT.test(ctx)) {
      continue;
    }
    add(m[0], m.index!);
  }
  for (const m of text.matchAll(PHONE_NATIONAL)) {
    const digits = m[0].replace(/\D/g, "");
    // The shape of an SSN (078-05-1120) is not a national number, valid SSN or not.
    if (digits.length < 9 || digits.length > 11 || digits[1] === "0" || /^\d{3}-\d{2}-\d{4}$/.test(m[0])) continue;
    add(m[0], m.index!);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Card numbers (issuer prefix, Luhn, not a published test number), SSNs, IBANs

const CARD = /(?<![\w.-])\d(?:[ -]?\d){12,18}(?![\w-]|\.\d)/g;
const CARD_PREFIX =
  /^(?:4\d{12}(?:\d{3}){0,2}|5[1-5]\d{14}|2(?:2[2-9][1-9]|2[3-9]\d|[3-6]\d{2}|7[01]\d|720)\d{12}|3[47]\d{13}|6(?:011|5\d{2}|4[4-9]\d)\d{12,15}|35\d{14,17}|3(?:0[0-5]|[68]\d)\d{11,16})$/;
/** Documented test card numbers (payment processors publish them): Luhn-valid but nobody's. */
export const TEST_CARDS: ReadonlySet<string> = new Set([
  "4111111111111111",
  "4242424242424242",
  "4012888888881881",
  "4000056655665556",
  "5555555555554444",
  "5105105105105100",
  "2223003122003222",
  "378282246310005",
  "371449635398431",
  "6011111111111117",
  "3056930009020004",
  "3566002020360505",
]);

/**
 * The Luhn checksum.
 * @param digits a digit string
 * @returns whether it is valid
 */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) d = d > 4 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

function findCards(text: string, out: PiiMatch[]): void {
  for (const m of text.matchAll(CARD)) {
    const digits = m[0].replace(/\D/g, "");
    // Grouped numbers keep their groups: "4539 1488 0343 6467"; a run of digits split unevenly is something else.
    if (/[ -]/.test(m[0]) && !/^\d{4}(?:([ -])\d{4}){2}\1\d{1,7}$|^\d{4}([ -])\d{6}\2\d{5}$/.test(m[0])) continue;
    if (!CARD_PREFIX.test(digits) || TEST_CARDS.has(digits) || !luhnValid(digits)) continue;
    out.push({ kind: "card", value: m[0], index: m.index! });
  }
}

const SSN_DASHED = /(?<![\w.-])(\d{3})-(\d{2})-(\d{4})(?![\w-]|\.\d)/g;
const SSN_CONTEXT = /(?<![\w.-])(\d{3})[ ]?(\d{2})[ ]?(\d{4})(?![\w-]|\.\d)/g;
const SSN_WORD = /(?:ssn|social security(?: number| no\.?)?|soc\.? sec\.?)\W{0,4}$/i;

/**
 * Whether an SSN could have been issued: area not 000, 666 or 900-999, group not 00, serial not 0000.
 * @param area the first three digits
 * @param group the middle two
 * @param serial the last four
 * @returns whether it is valid
 */
export function ssnValid(parts: { area: string; group: string; serial: string }): boolean {
  const { area, group, serial } = parts;
  const a = Number(area);
  return a !== 0 && a !== 666 && a < 900 && group !== "00" && serial !== "0000" &&
    // Published in a wallet insert in 1938 and void since; the advertising range is 9xx anyway.
    `${area}${group}${serial}` !== "078051120";
}

function findSsns(text: string, out: PiiMatch[]): void {
  if (text.includes("-")) {
    for (const m of text.matchAll(SSN_DASHED)) {
      if (ssnValid({ area: m[1], group: m[2], serial: m[3] })) out.push({ kind: "ssn", value: m[0], index: m.index! });
    }
  }
  if (!/ssn|social|soc\.? ?sec/i.test(text)) return;
  for (const m of text.matchAll(SSN_CONTEXT)) {
    if (m[0].includes("-") || !SSN_WORD.test(before(text, m.index!, 24))) continue;
    if (ssnValid({ area: m[1], group: m[2], serial: m[3] })) out.push({ kind: "ssn", value: m[0], index: m.index! });
  }
}

const IBAN = /(?<![A-Za-z0-9])([A-Z]{2})(\d{2})((?:[ ]?[A-Z0-9]){11,30})(?![A-Za-z0-9])/g;
/** IBAN lengths by country (SWIFT IBAN registry). */
const IBAN_LENGTH: Record<string, number> = Object.fromEntries(
  ("AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DK18 DO28 EE20 EG29 ES24 " +
    "FI18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HR21 HU28 IE22 IL23 IQ23 IS26 IT27 JO30 KW30 KZ20 LB28 LC32 " +
    "LI21 LT20 LU20 LV21 MC27 MD24 ME22 MK19 MR27 MT31 MU30 NL18 NO15 PK24 PL28 PS29 PT25 QA29 RO24 RS22 SA24 " +
    "SC31 SE24 SI19 SK24 SM27 ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20")
    .split(" ").map((x) => [x.slice(0, 2), Number(x.slice(2))]),
);
/** The example IBANs of the registry and of banks' documentation. */
const EXAMPLE_IBANS = new Set(["GB82WEST12345698765432", "DE89370400440532013000", "GB29NWBK60161331926819"]);

/**
 * The ISO 13616 check: the IBAN rearranged and read as a number is 1 modulo 97.
 * @param iban the IBAN without spaces
 * @returns whether the check digits match
 */
export function ibanValid(iban: string): boolean {
  const s = iban.slice(4) + iban.slice(0, 4);
  let rem = 0;
  for (const ch of s) {
    const v = ch >= "A" && ch <= "Z" ? ch.charCodeAt(0) - 55 : ch.charCodeAt(0) - 48;
    rem = v >= 10 ? (rem * 100 + v) % 97 : (rem * 10 + v) % 97;
  }
  return rem === 1;
}

function findIbans(text: string, out: PiiMatch[]): void {
  for (const m of text.matchAll(IBAN)) {
    const want = IBAN_LENGTH[m[1]];
    if (want === undefined) continue;
    let compact = (m[1] + m[2] + m[3]).replace(/ /g, "");
    // The match may run into the next word ("... 00 for"): cut at the country's length when spacing allows.
    if (compact.length > want) compact = compact.slice(0, want);
    if (compact.length !== want || EXAMPLE_IBANS.has(compact) || !ibanValid(compact)) continue;
    // The value as written, up to its last character of the IBAN.
    let end = 0;
    for (let seen = 0; seen < want; end++) if (m[0][end] !== " ") seen++;
    out.push({ kind: "iban", value: m[0].slice(0, end), index: m.index! });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Person names: a given name of the lexicon and a capitalised surname, or any capitalised pair after a cue
// (`Name:`, `From:`, `Dear`, a title, a sign-off)

const CAP = "[A-Z][a-zà-öø-ÿ]+(?:[-'][A-Z][a-zà-öø-ÿ]+)?";
const SURNAME = `(?:(?:Mc|Mac|O'|D'|Di|De|Van |Von |van |von |de |da |di )?${CAP})`;
const NAME_PAIR = new RegExp(`(?<![\\w@.])(${CAP})(?: [A-Z]\\.)? (${SURNAME})(?![\\w@])`, "g");
const TITLE_NAME = new RegExp(`\\b(?:${TITLES.join("|")})\\.? (${CAP})(?![\\w@])`, "g");
/** Cues right before a person's name that make any capitalised pair one: a name field, a salutation. */
const STRONG_CUE = new RegExp(
  '(?:\\b(?:[Nn]ame|[Ff]ull ?[Nn]ame|[Pp]atient|[Ee]mployee|[Cc]ardholder|[Aa]ccount holder)\\s*[:=]\\s*"?|' +
    "\\b(?:Dear|[Ss]igned by:?)\\s+)$",
);
/** Weaker cues: a given name of the lexicon that is also a word (`Will`, `Grace`) counts after them. */
const NAME_CUE = new RegExp(
  '(?:\\b(?:[Cc]ontact|[Cc]ustomer|[Oo]wner|[Rr]equester|[Cc]aller|[Uu]ser)\\s*[:=]\\s*"?|' +
    "\\b(?:[Rr]eported|[Aa]ssigned|[Cc]reated|[Aa]pproved|[Rr]equested|[Ss]ubmitted) (?:by|to)\\s*:?\\s*|" +
    '\\b(?:From|To|Cc|Bcc|Reply-To|Sender|Attn):\\s*"?|\\b(?:Hi|Hello|Hey)\\s+|' +
    "\\b(?:[Rr]egards|[Tt]hanks|[Tt]hank you|[Cc]heers|[Ss]incerely|[Bb]est)\\s*[,:-]\\s*)$",
);
const SIGN_OFF =
  /^\s*(?:(?:best|kind|warm|many)?\s*(?:regards|thanks)|thank you|cheers|sincerely|best|br|--)\s*[,!.]?\s*$/i;

function findNames(text: string, previous: string, out: PiiMatch[]): void {
  if (!/[A-Z][a-z]/.test(text)) return;
  const pairs = new RegExp(NAME_PAIR);
  for (let m = pairs.exec(text); m !== null; m = pairs.exec(text)) {
    const [given, surname] = [m[1], m[2]];
    // Not a name: try again from the second word ("Dear Jane Doe" is "Dear Jane", then "Jane Doe").
    pairs.lastIndex = m.index + m[0].length - surname.length;
    if (FICTIONAL_SURNAMES.has(surname) || NOT_SURNAMES.has(surname)) continue;
    const ahead = before(text, m.index!, 32);
    const strong = STRONG_CUE.test(ahead);
    // After "Name:" even a given name that is also a word ("Lane") is a given name.
    if (NOT_SURNAMES.has(given) && !strong) continue;
    const known = GIVEN_NAMES.has(given) && !AMBIGUOUS_GIVEN.has(given);
    const { line, prev } = lineAt(text, m.index!, previous);
    const cued = strong || (SIGN_OFF.test(prev) && line.trim() === m[0]) ||
      ((GIVEN_NAMES.has(given) || AMBIGUOUS_GIVEN.has(given)) && NAME_CUE.test(ahead));
    if (known || cued) {
      out.push({ kind: "name", value: m[0], index: m.index! });
      pairs.lastIndex = m.index + m[0].length;
    }
  }
  if (!/\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Herr|Frau|Mme|Mlle|Sr|Sra)\b/.test(text)) return;
  for (const m of text.matchAll(TITLE_NAME)) {
    const surname = m[1];
    if (FICTIONAL_SURNAMES.has(surname) || NOT_SURNAMES.has(surname)) continue;
    if (
      out.some((o) => o.kind === "name" && o.index <= m.index! + m[0].length && m.index! <= o.index + o.value.length)
    ) {
      continue;
    }
    out.push({ kind: "name", value: m[0], index: m.index! });
  }
}

// ---------------------------------------------------------------------------------------------------------------

const FINDERS: Record<Exclude<PiiKind, "name">, (text: string, out: PiiMatch[]) => void> = {
  email: findEmails,
  ipv4: findIpv4,
  ipv6: findIpv6,
  phone: findPhones,
  card: findCards,
  ssn: findSsns,
  iban: findIbans,
};

/**
 * Finds personal data in one line (or cell) of text.
 * @param text the text
 * @param options the detectors to run, the line before
 * @returns what was found, in text order
 * @example
 * ```ts
 * import { detectPii } from "@lib/validate/mod.ts";
 * detectPii("mail jane dot doe at gmail dot com from 010.001.002.003").map((m) => m.kind); // ["email", "ipv4"]
 * ```
 */
export function detectPii(text: string, options: DetectPiiOptions = {}): PiiMatch[] {
  const { kinds = PII_KINDS, previous = "" } = options;
  const out: PiiMatch[] = [];
  for (const kind of kinds) {
    if (kind === "name") findNames(text, previous, out);
    else FINDERS[kind](text, out);
  }
  // One span, one kind: a card number is not also a phone number, a dashed SSN not also a phone.
  if (out.length < 2) return out;
  out.sort((a, b) => RANK[a.kind] - RANK[b.kind] || a.index - b.index);
  const kept: PiiMatch[] = [];
  for (const m of out) {
    const end = m.index + m.value.length;
    if (!kept.some((k) => m.index < k.index + k.value.length && k.index < end)) kept.push(m);
  }
  return kept.sort((a, b) => a.index - b.index);
}

/** Which detector wins where two find the same span. */
const RANK: Record<PiiKind, number> = { email: 0, iban: 1, card: 2, ssn: 3, ipv6: 4, ipv4: 5, phone: 6, name: 7 };

/**
 * Masks a value found, for messages and reports: enough to find it again, never the whole.
 * @param kind the detector
 * @param value the value as found
 * @returns e.g. `j***@gmail.com`, `81.x.x.x`, `***-***-**71`, `****6467`, `***-**-**20`, `DE** … 00`, `J*** D***`
 */
export function maskPii(kind: PiiKind, value: string): string {
  switch (kind) {
    case "email": {
      const at = /@|%40|\s*[[({<]?@[\])}>]?\s*|\s*[[({<]at[\])}>]\s*|\s+at\s+/i.exec(value);
      const domain = at ? normaliseDots(value.slice(at.index + at[0].length)) : "";
      return `${value.trim().slice(0, 1)}***@${domain}`;
    }
    case "ipv4":
      return `${Number(value.split(".")[0])}.x.x.x`;
    case "ipv6":
      return `${value.split(":")[0]}:x:…`;
    case "phone":
    case "ssn":
      return value.replace(/\d(?=(?:\D*\d){2})/g, "*");
    case "card":
      return `****${value.replace(/\D/g, "").slice(-4)}`;
    case "iban": {
      const c = value.replace(/ /g, "");
      return `${c.slice(0, 2)}** … ${c.slice(-2)}`;
    }
    case "name":
      return value.split(/\s+/).map((w) => /^[A-Z]/.test(w) && !/\.$/.test(w) ? `${w[0]}***` : w).join(" ");
  }
}
