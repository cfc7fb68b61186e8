/**
 * Realism measures of ticket and e-mail text, the same for generated and real text: content vocabulary, length
 * spread, distinct titles, whether a ticket's title and body name the same item, and how often one opening
 * sentence starts e-mails. The generator's tests hold the incidents dataset to targets calibrated on real helpdesk
 * tickets (Endava IT helpdesk tickets, github `karolzak/support-tickets-classification`; figures in the README).
 * @module
 */
import { FIRST_NAMES, LAST_NAMES } from "./catalog.ts";

/** English function words (NLTK's list, plus greeting and courtesy words every ticket carries). */
const STOP_WORDS: ReadonlySet<string> = new Set(
  `a about above after again against all am an and any are aren as at be because been before being below between
  both but by can cannot could couldn did didn do does doesn doing don down during each few for from further had
  hadn has hasn have haven having he her here hers herself him himself his how i if in into is isn it its itself
  just ll me mightn more most mustn my myself needn no nor not now of off on once only or other our ours ourselves
  out over own re same shan she should shouldn so some such than that the their theirs them themselves then there
  these they this those through to too under until up ve very was wasn we were weren what when where which while
  who whom why will with won would wouldn you your yours yourself yourselves also get got one would us let
  hi hello dear thanks thank regards cheers best please kind`.split(/\s+/),
);

const NAMES: ReadonlySet<string> = new Set([...FIRST_NAMES, ...LAST_NAMES].map((n) => n.toLowerCase()));

/**
 * The content words of a text: lowercase runs of letters, at least three long, that are neither function words nor
 * the generators' fictional person names (real tickets have names removed).
 * @param text a text
 * @returns the words, in order
 */
export function contentWords(text: string): string[] {
  const words = text.toLowerCase().match(/[a-z]+/g) ?? [];
  return words.filter((w) => w.length >= 3 && !STOP_WORDS.has(w) && !NAMES.has(w));
}

/**
 * Items a ticket can be about, each with the words that name it. A title and a body agree when every item the
 * title names is named in the body too. The lists are the service desk's nouns, not the generator's phrases.
 */
export const TICKET_ITEMS: Readonly<Record<string, readonly string[]>> = {
  headset: ["headset", "headphones", "earphones", "earbuds"],
  keyboard: ["keyboard"],
  mouse: ["mouse", "trackpad", "touchpad"],
  monitor: ["monitor", "second screen", "external screen", "external display"],
  dock: ["docking station", "dock"],
  printer: ["printer", "printing", "print queue", "toner"],
  scanner: ["scanner", "scanning"],
  laptop: ["laptop", "notebook"],
  desktop: ["desktop pc", "workstation"],
  phone: ["mobile phone", "smartphone", "desk phone", "handset"],
  webcam: ["webcam", "camera"],
  badge: ["badge", "access card", "key card"],
  vpn: ["vpn"],
  wifi: ["wi-fi", "wifi", "wireless network"],
  password: ["password", "passphrase"],
  mfa: ["mfa", "two-factor", "authenticator"],
  mailbox: ["mailbox", "inbox"],
  calendar: ["calendar", "meeting invite", "invites"],
  phishing: ["phishing", "suspicious e-mail", "suspicious email"],
  shared_drive: ["shared drive", "shared folder", "network drive"],
  license: ["licence", "license"],
  meeting_room: ["meeting room", "conference room"],
  browser: ["browser"],
  spreadsheet: ["spreadsheet", "excel"],
  pdf: ["pdf"],
  database_client: ["database client", "sql client"],
};

const ITEM_PATTERNS: readonly [string, RegExp][] = Object.entries(TICKET_ITEMS).map((
  [item, words],
) => [item, new RegExp(`(^|[^a-z])(${words.map((w) => w.replace(/[-\s]/g, "[-\\s]?")).join("|")})s?($|[^a-z])`, "i")]);

/**
 * The items of {@linkcode TICKET_ITEMS} a text names.
 * @param text a text
 * @returns item keys, in catalogue order
 */
export function itemsNamed(text: string): string[] {
  return ITEM_PATTERNS.filter(([, re]) => re.test(text)).map(([item]) => item);
}

/** A ticket's text. */
export interface TicketText {
  title: string;
  body: string;
}

/** What {@linkcode ticketTextStats} measures. */
export interface TicketTextStats {
  tickets: number;
  /** Distinct content words over titles and bodies. */
  vocabulary: number;
  /** Mean content words per body. */
  meanLength: number;
  /** Coefficient of variation (population standard deviation / mean) of content words per body. */
  lengthCv: number;
  /** Share of distinct titles (exact text, case-folded) among all tickets. */
  distinctTitles: number;
  /** Tickets whose title names at least one item of {@linkcode TICKET_ITEMS}. */
  titledItems: number;
  /** Of those, the share whose body names every item the title names. */
  itemAgreement: number;
  /** Titles whose item the body does not name, with the items (for messages). */
  disagreements: { title: string; items: string[] }[];
}

/**
 * Measures ticket text.
 * @param tickets titles and bodies
 * @returns the measures
 * @example
 * ```ts
 * import { ticketTextStats } from "@lib/generate/incidents/text_stats.ts";
 * ticketTextStats([{ title: "Need a new headset", body: "My keyboard doesn't work" }]).itemAgreement; // 0
 * ```
 */
export function ticketTextStats(tickets: readonly TicketText[]): TicketTextStats {
  const vocab = new Set<string>();
  const lengths: number[] = [];
  for (const t of tickets) {
    for (const w of contentWords(t.title)) vocab.add(w);
    const body = contentWords(t.body);
    for (const w of body) vocab.add(w);
    lengths.push(body.length);
  }
  const n = lengths.length;
  const mean = n ? lengths.reduce((s, x) => s + x, 0) / n : 0;
  const sd = n ? Math.sqrt(lengths.reduce((s, x) => s + (x - mean) ** 2, 0) / n) : 0;
  const titles = new Set(tickets.map((t) => t.title.trim().toLowerCase()));
  let titled = 0, agree = 0;
  const disagreements: { title: string; items: string[] }[] = [];
  for (const t of tickets) {
    const items = itemsNamed(t.title);
    if (items.length === 0) continue;
    titled++;
    const inBody = new Set(itemsNamed(t.body));
    const missing = items.filter((i) => !inBody.has(i));
    if (missing.length === 0) agree++;
    else disagreements.push({ title: t.title, items: missing });
  }
  return {
    tickets: n,
    vocabulary: vocab.size,
    meanLength: mean,
    lengthCv: mean > 0 ? sd / mean : 0,
    distinctTitles: n ? titles.size / n : 0,
    titledItems: titled,
    itemAgreement: titled ? agree / titled : 1,
    disagreements,
  };
}

/**
 * The opening of an e-mail body: its first sentence (up to `.`, `!`, `?` or the end of the first non-empty line),
 * case-folded, with digits as `#` and the fictional person names as `<name>`, so "Hi Avery," and "Hi Jules," are
 * one opening.
 * @param body the body
 * @returns the opening
 */
export function openingOf(body: string): string {
  const line = body.split("\n").find((l) => l.trim() !== "") ?? "";
  const sentence = /^(.*?[.!?])(\s|$)/.exec(line.trim())?.[1] ?? line.trim();
  return sentence.toLowerCase().replace(/[a-z]+/g, (w) => NAMES.has(w) ? "<name>" : w).replace(/[0-9]+/g, "#")
    .replace(/\s+/g, " ");
}

/** What {@linkcode openingStats} measures. */
export interface OpeningStats {
  messages: number;
  /** Distinct openings. */
  distinct: number;
  /** The commonest openings with their shares, commonest first (at most ten). */
  top: { opening: string; share: number }[];
}

/**
 * How often each opening starts the e-mails.
 * @param bodies the bodies
 * @returns the measures
 * @example
 * ```ts
 * import { openingStats } from "@lib/generate/incidents/text_stats.ts";
 * openingStats(["Hi all,\n\nThe VPN is down.", "Hi all,\n\nFixed."]).top[0]; // { opening: "hi all,", share: 1 }
 * ```
 */
export function openingStats(bodies: readonly string[]): OpeningStats {
  const counts = new Map<string, number>();
  for (const b of bodies) {
    const o = openingOf(b);
    counts.set(o, (counts.get(o) ?? 0) + 1);
  }
  const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 10)
    .map(([opening, c]) => ({ opening, share: c / bodies.length }));
  return { messages: bodies.length, distinct: counts.size, top };
}
