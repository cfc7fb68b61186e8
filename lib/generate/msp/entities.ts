import pl from "nodejs-polars";
import { entityStream, type Seed } from "@lib/random/mod.ts";
import {
  AVAILABILITY,
  AVAILABILITY_WEIGHTS,
  BILLING_FREQUENCIES,
  BILLING_WEIGHTS,
  CATEGORY_NAMES,
  COMPANY_PREFIXES,
  COMPANY_SIZE_WEIGHTS,
  COMPANY_SIZES,
  COMPANY_SUFFIX_BY_INDUSTRY,
  CONTRACT_TYPES,
  CONTRACT_WEIGHTS,
  EMPLOYEES,
  FIRST_NAMES,
  INDUSTRIES,
  INDUSTRY_RATE,
  INDUSTRY_WEIGHTS,
  LAST_NAMES,
  ROLES,
  SEAT_PRICE,
  SERVICE_LEVEL_WEIGHTS,
  SERVICE_LEVELS,
  TICKETS_PER_EMPLOYEE_MONTH,
} from "@lib/schema/msp/catalog.ts";

const DAY_MS = 86_400_000;

/** A client as the ticket simulation needs it (indices into the catalog enums). */
export interface ClientDraw {
  id: string;
  name: string;
  industry: number;
  size: number;
  employees: number;
  contract: number;
  level: number;
  billing: number;
  contractValue: number;
  /** Contract start, epoch day. */
  contractStartDay: number;
  /** Contract end, epoch day (exclusive: no tickets on or after it). */
  contractEndDay: number;
  createdMs: number;
  /** Mean tickets per month. */
  monthlyRate: number;
}

/** A technician as the simulation needs it. */
export interface TechnicianDraw {
  id: string;
  name: string;
  role: number;
  /** Skill level 1..5 per category index. */
  skills: Uint8Array;
  certifications: string[];
  hourlyRate: number;
  availability: number;
}

/**
 * The id of client `i` (0-based): `client-0001`, ...
 * @param i the index
 * @returns the id
 */
export function clientId(i: number): string {
  return `client-${String(i + 1).padStart(4, "0")}`;
}

/**
 * The id of technician `i` (0-based): `tech-001`, ...
 * @param i the index
 * @returns the id
 */
export function technicianId(i: number): string {
  return `tech-${String(i + 1).padStart(3, "0")}`;
}

function roundTo(x: number, step: number): number {
  return Math.round(x / step) * step;
}

/**
 * Draws one client from its own stream `entityStream(seed, { dataset: "msp", entity: id })`: industry, size, contract and the ticket
 * rate those imply. Contracts auto-renew, except for about 8 % of clients who churn: their contract may end inside
 * the period and they raise no tickets after it.
 *
 * @param seed the dataset seed
 * @param client `index`: the client index (0-based); `startDay`: first day of the period, epoch day; `endDay`: day
 *   after the last day of the period, epoch day; `rateScale`: multiplier of the ticket rate
 * @returns the client
 */
export function drawClient(
  seed: Seed,
  client: { index: number; startDay: number; endDay: number; rateScale: number },
): ClientDraw {
  const { index, startDay: periodStartDay, endDay: periodEndDay, rateScale } = client;
  const id = clientId(index);
  const rng = entityStream(seed, { dataset: "msp", entity: id });
  const industry = rng.weightedIndex(INDUSTRY_WEIGHTS);
  const size = rng.weightedIndex(COMPANY_SIZE_WEIGHTS);
  const [lo, hi] = EMPLOYEES[size];
  // log-uniform head count inside the size band
  const employees = Math.round(Math.exp(rng.uniform(Math.log(lo), Math.log(hi + 1))));
  const contract = rng.weightedIndex(CONTRACT_WEIGHTS[size]);
  const level = rng.weightedIndex(SERVICE_LEVEL_WEIGHTS[contract]);
  const billing = rng.weightedIndex(BILLING_WEIGHTS[contract]);
  const name = `${rng.pick(COMPANY_PREFIXES)} ${rng.pick(COMPANY_SUFFIX_BY_INDUSTRY[industry])}`;

  let contractValue: number;
  if (CONTRACT_TYPES[contract] === "managed_services") contractValue = employees * SEAT_PRICE[level] * 12;
  else if (CONTRACT_TYPES[contract] === "co_managed") contractValue = employees * SEAT_PRICE[level] * 0.45 * 12;
  else if (CONTRACT_TYPES[contract] === "block_hours") {
    contractValue = Math.min(2000, Math.max(40, roundTo(employees * 1.5, 40))) * 125;
  } else contractValue = 0;
  contractValue = Math.round(contractValue * 100) / 100;

  const periodDays = periodEndDay - periodStartDay;
  const startsBefore = rng.bernoulli(0.85);
  const contractStartDay = startsBefore
    ? periodStartDay - rng.int(30, 1460)
    : periodStartDay + rng.int(0, Math.max(0, Math.floor(periodDays / 2)));
  const termDays = Math.round(365.25 * [1, 2, 3][rng.weightedIndex([50, 30, 20])]);
  const churns = rng.bernoulli(0.08);
  let contractEndDay = contractStartDay + termDays;
  while (contractEndDay <= periodStartDay) contractEndDay += termDays;
  if (!churns) { while (contractEndDay < periodEndDay) contractEndDay += termDays; }
  const createdMs = (contractStartDay - rng.int(7, 60)) * DAY_MS + rng.int(8 * 3600, 18 * 3600 - 1) * 1000;

  const monthlyRate = employees * TICKETS_PER_EMPLOYEE_MONTH[contract] * INDUSTRY_RATE[industry] * rateScale *
    rng.lognormal(0, 0.25);
  return {
    id,
    name,
    industry,
    size,
    employees,
    contract,
    level,
    billing,
    contractValue,
    contractStartDay,
    contractEndDay,
    createdMs,
    monthlyRate,
  };
}

/**
 * Draws one technician from its own stream `entityStream(seed, { dataset: "msp", entity: id })`: role, skill levels (the role's profile,
 * each level moved by at most one), certifications from the role's pool, hourly cost and availability.
 *
 * @param seed the dataset seed
 * @param index the technician index (0-based)
 * @returns the technician
 */
export function drawTechnician(seed: Seed, index: number): TechnicianDraw {
  const id = technicianId(index);
  const rng = entityStream(seed, { dataset: "msp", entity: id });
  const role = rng.weightedIndex(ROLES.map((r) => r.weight));
  const profile = ROLES[role];
  const skills = new Uint8Array(CATEGORY_NAMES.length).fill(1);
  CATEGORY_NAMES.forEach((cat, c) => {
    const base = profile.skills[cat];
    if (base !== undefined) {
      const u = rng.next();
      skills[c] = Math.max(1, Math.min(5, base + (u < 0.25 ? 1 : u > 0.85 ? -1 : 0)));
    }
  });
  if (rng.bernoulli(0.3)) {
    const c = rng.int(0, CATEGORY_NAMES.length - 1);
    if (skills[c] < 2) skills[c] = 2;
  }
  const nCerts = Math.min(profile.certifications.length, rng.weightedIndex([20, 40, 28, 12]));
  const certifications = rng.shuffle(profile.certifications).slice(0, nCerts).sort();
  const hourlyRate = Math.round(rng.uniform(profile.rate[0], profile.rate[1]) * 100) / 100;
  const availability = AVAILABILITY[rng.weightedIndex(AVAILABILITY_WEIGHTS)];
  const name = `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
  return { id, name, role, skills, certifications, hourlyRate, availability };
}

/**
 * The `clients` frame without `last_activity` (which is derived from tickets).
 * @param clients the drawn clients
 * @returns the frame
 */
export function clientsFrame(clients: readonly ClientDraw[]): pl.DataFrame {
  const n = clients.length;
  const employees = new Int32Array(n), value = new Float64Array(n), start = new Int32Array(n);
  const end = new Int32Array(n), created = new Float64Array(n);
  clients.forEach((c, i) => {
    employees[i] = c.employees;
    value[i] = c.contractValue;
    start[i] = c.contractStartDay;
    end[i] = c.contractEndDay;
    created[i] = c.createdMs;
  });
  return pl.DataFrame({
    client_id: pl.Series("client_id", clients.map((c) => c.id), pl.String),
    name: pl.Series("name", clients.map((c) => c.name), pl.String),
    industry: pl.Series("industry", clients.map((c) => INDUSTRIES[c.industry]), pl.String),
    company_size: pl.Series("company_size", clients.map((c) => COMPANY_SIZES[c.size]), pl.String),
    employees: pl.Series("employees", employees),
    contract_type: pl.Series("contract_type", clients.map((c) => CONTRACT_TYPES[c.contract]), pl.String),
    contract_value: pl.Series("contract_value", value),
    contract_start: pl.Series("contract_start", start).cast(pl.Date),
    contract_end: pl.Series("contract_end", end).cast(pl.Date),
    billing_frequency: pl.Series("billing_frequency", clients.map((c) => BILLING_FREQUENCIES[c.billing]), pl.String),
    service_level: pl.Series("service_level", clients.map((c) => SERVICE_LEVELS[c.level]), pl.String),
    created_at: pl.Series("created_at", created).cast(pl.Int64).cast(pl.Datetime("ms", "UTC")),
  });
}

/**
 * The `technicians` frame. Skills are written `category:level` (levels 2-5; 1 is the unlisted default), separated
 * by `;`; certifications are separated by `;`.
 * @param technicians the drawn technicians
 * @returns the frame
 */
export function techniciansFrame(technicians: readonly TechnicianDraw[]): pl.DataFrame {
  const n = technicians.length;
  const rate = new Float64Array(n), availability = new Float64Array(n);
  technicians.forEach((t, i) => {
    rate[i] = t.hourlyRate;
    availability[i] = t.availability;
  });
  return pl.DataFrame({
    technician_id: pl.Series("technician_id", technicians.map((t) => t.id), pl.String),
    name: pl.Series("name", technicians.map((t) => t.name), pl.String),
    role: pl.Series("role", technicians.map((t) => ROLES[t.role].name), pl.String),
    department: pl.Series("department", technicians.map((t) => ROLES[t.role].department), pl.String),
    skills: pl.Series(
      "skills",
      technicians.map((t) =>
        CATEGORY_NAMES.map((c, k) => [c, t.skills[k]] as const).filter(([, l]) => l >= 2).map(([c, l]) => `${c}:${l}`)
          .join(";")
      ),
      pl.String,
    ),
    certifications: pl.Series("certifications", technicians.map((t) => t.certifications.join(";")), pl.String),
    hourly_rate: pl.Series("hourly_rate", rate),
    availability: pl.Series("availability", availability),
  });
}
