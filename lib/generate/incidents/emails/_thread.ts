/**
 * What every e-mail thread kind shares: the message type, a thread builder that sets `In-Reply-To` and
 * `References`, the varied openings and sign-offs, and the registry entry types.
 * @module
 */
import type { Rng } from "@lib/random/mod.ts";
import { fill, type Person } from "../text.ts";
import type { Incident } from "../types/mod.ts";

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** Kinds of e-mail. */
export type EmailKind =
  | "incident_update"
  | "vendor_notice"
  | "customer_escalation"
  | "maintenance_notice"
  | "security_notice"
  | "postmortem"
  | "change_notice"
  | "report"
  | "handover";

/** One e-mail message. */
export interface Email {
  /** `<...@example.com>` without the angle brackets. */
  messageId: string;
  /** Epoch ms, whole seconds. */
  date: number;
  from: Person;
  to: Person[];
  cc: Person[];
  subject: string;
  inReplyTo: string | null;
  references: string[];
  body: string;
  kind: EmailKind;
  /** The first message id of the thread. */
  threadId: string;
  incidentId: string | null;
}

/** What an incident thread is written about. */
export interface IncidentContext {
  /** The incident. */
  inc: Incident;
  /** Its main ticket id. */
  ticket: string;
}

/** A thread an incident may start: registered in `emails/mod.ts`. */
export interface IncidentThreadKind {
  /** Names the thread's own stream `(seed, "incidents", "<incident id>/emails/<name>")`. */
  readonly name: string;
  /**
   * Writes the thread, or nothing when the incident does not call for it.
   * @param rng the thread's stream
   * @param ctx the incident and its main ticket
   */
  write(rng: Rng, ctx: IncidentContext): Email[];
}

/** What a background thread is written about. */
export interface BackgroundContext {
  /** Midnight UTC of the day, epoch ms. */
  day: number;
  /** Services of the fleet. */
  apps: readonly string[];
}

/** Background mail of one kind: registered in `emails/mod.ts` with a weight. */
export interface BackgroundThreadKind {
  readonly name: string;
  /** Relative frequency among background threads. */
  readonly weight: number;
  /**
   * Writes one thread.
   * @param rng the thread's stream
   * @param ctx the day and the services
   */
  write(rng: Rng, ctx: BackgroundContext): Email[];
}

/**
 * A mailbox with an optional display name.
 * @param address the address
 * @param name the display name
 * @returns the person
 */
export const mailbox = (address: string, name = ""): Person => ({ name, address });

function hex(rng: Rng, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += "0123456789abcdef"[Math.floor(rng.next() * 16)];
  return s;
}

/** A thread builder: each message replies to the previous one. */
export class Thread {
  readonly messages: Email[] = [];
  constructor(readonly rng: Rng, readonly incidentId: string | null, readonly kind: EmailKind) {}
  /**
   * Adds a message replying to the last one (`Re: ` is added to the subject of replies).
   * @returns the thread
   */
  add(date: number, from: Person, to: Person[], subject: string, body: string, cc: Person[] = [], kind = this.kind) {
    const prev = this.messages[this.messages.length - 1];
    date = Math.round(date / 1000) * 1000;
    const domain = from.address.split("@")[1];
    const stamp = new Date(date).toISOString().replace(/[-:T]/g, "").slice(0, 14);
    const messageId = `${stamp}.${hex(this.rng, 16)}@${domain}`;
    this.messages.push({
      messageId,
      date,
      from,
      to,
      cc,
      subject: prev ? (/^re: /i.test(subject) ? subject : `Re: ${subject}`) : subject,
      inReplyTo: prev ? prev.messageId : null,
      references: prev ? [...prev.references, prev.messageId] : [],
      body,
      kind,
      threadId: this.messages[0]?.messageId ?? messageId,
      incidentId: this.incidentId,
    });
    return this;
  }
  /** The last message. */
  get last(): Email | undefined {
    return this.messages[this.messages.length - 1];
  }
}

/** Greetings to a group; none of them starts more than a few per cent of messages. */
const GROUP_GREETINGS = [
  "Hi all,",
  "Hello team,",
  "All,",
  "Hi everyone,",
  "Team,",
  "Hello,",
  "Hi folks,",
  "Morning all,",
  "Good afternoon,",
  "Hello everyone,",
  "Dear colleagues,",
  "Quick update, all:",
  "Folks,",
];

/**
 * An opening line for a message to a group: a greeting about half of the time, else nothing (the message starts
 * with its news, as many real updates do).
 * @param rng the stream
 * @param p the probability of a greeting
 * @returns the greeting paragraph, or `[]`
 */
export function greet(rng: Rng, p = 0.5): string[] {
  return rng.bernoulli(p) ? [rng.pick(GROUP_GREETINGS)] : [];
}

/**
 * An opening line for a message to one person.
 * @param rng the stream
 * @param who the addressee
 * @param options `probability`: of a greeting @default 0.7
 * @returns the greeting paragraph, or `[]`
 */
export function greetPerson(rng: Rng, who: Person, options: { probability?: number } = {}): string[] {
  const { probability: p = 0.7 } = options;
  if (!rng.bernoulli(p)) return [];
  return [fill(rng, "[Hi|Hello|Dear|Hey|Good morning] " + who.name.split(" ")[0] + "[,|,|!]")];
}

const SIGNOFF = ["Thanks,", "Regards,", "Best,", "Cheers,", "--", "Thank you,", "Best regards,", "Many thanks,"];

/**
 * A sign-off with name and role.
 * @param rng the stream
 * @param who the writer and the role line
 * @returns the text
 */
export function sign(rng: Rng, who: Person & { role: string }): string {
  return `${rng.pick(SIGNOFF)}\n${who.name}\n${who.role}`;
}

/**
 * The quoted head of a message, as mail clients put it under a reply.
 * @param e the message replied to
 * @param lines how many non-empty lines to quote
 * @returns the attribution line and the quoted lines
 */
export function quote(e: Email, lines = 3): string {
  const d = new Date(e.date);
  const when = `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;
  const body = e.body.split("\n").filter((l) => l.trim() !== "").slice(0, lines).map((l) => `> ${l}`);
  return `On ${when}, ${e.from.name || e.from.address} wrote:\n${body.join("\n")}`;
}
