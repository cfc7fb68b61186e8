/**
 * The fixed vocabulary and business rules of the MSP domain: enums, SLA policy, rates, work-effort baselines,
 * role skill profiles and the text templates of tickets. Read by the generator (`lib/generate/msp/`) and, through
 * `tables.ts` and `derive.ts`, by the MSP API ingest; the enums are re-exported through `tables.ts`.
 * @module
 */

export const INDUSTRIES = [
  "healthcare",
  "legal",
  "finance",
  "manufacturing",
  "retail",
  "education",
  "nonprofit",
  "construction",
  "hospitality",
  "technology",
  "logistics",
  "real_estate",
] as const;
export const INDUSTRY_WEIGHTS = [14, 10, 10, 11, 9, 7, 6, 7, 5, 8, 7, 6];
/** Ticket-rate multiplier by industry (regulated, people-heavy sectors call more). */
export const INDUSTRY_RATE = [1.2, 1.1, 1.15, 0.95, 1.0, 1.05, 0.9, 0.85, 0.95, 0.75, 0.9, 0.85];

export const COMPANY_SIZES = ["small", "medium", "large", "enterprise"] as const;
export const COMPANY_SIZE_WEIGHTS = [45, 33, 16, 6];
/** Employee-count ranges by company size: [min, max]. */
export const EMPLOYEES: readonly (readonly [number, number])[] = [[5, 49], [50, 249], [250, 999], [1000, 5000]];

export const CONTRACT_TYPES = ["managed_services", "co_managed", "block_hours", "break_fix"] as const;
/** Contract-type weights by company size (rows follow COMPANY_SIZES). */
export const CONTRACT_WEIGHTS = [[30, 5, 30, 35], [45, 15, 25, 15], [45, 35, 15, 5], [35, 55, 10, 0]];
/** Tickets per employee per month by contract type: a co-managed client runs its own first line. */
export const TICKETS_PER_EMPLOYEE_MONTH = [0.2, 0.045, 0.09, 0.05];
/** Hourly rate billed for ticket work by contract type (USD); emergency work outside business hours is x1.5. */
export const BILLING_RATE = [95, 110, 125, 165];
/** Multiplier of the billing rate for tickets raised outside business hours. */
export const AFTER_HOURS_RATE_FACTOR = 1.5;

export const SERVICE_LEVELS = ["platinum", "gold", "silver", "bronze"] as const;
/** Service-level weights by contract type (rows follow CONTRACT_TYPES). */
export const SERVICE_LEVEL_WEIGHTS = [[20, 40, 35, 5], [30, 40, 25, 5], [0, 20, 50, 30], [0, 0, 30, 70]];
/** SLA target multiplier by service level: platinum halves every target. */
export const SERVICE_LEVEL_FACTOR = [0.5, 0.75, 1, 1.5];
/** Monthly price per seat of a managed contract by service level (USD). */
export const SEAT_PRICE = [165, 135, 110, 90];

export const BILLING_FREQUENCIES = ["monthly", "quarterly", "annual", "per_incident"] as const;
/** Billing-frequency weights by contract type. */
export const BILLING_WEIGHTS = [[70, 20, 10, 0], [65, 25, 10, 0], [20, 45, 35, 0], [0, 0, 0, 1]];

export const PRIORITIES = ["critical", "high", "medium", "low"] as const;
/** Work-effort multiplier by priority. */
export const PRIORITY_EFFORT = [1.0, 1.1, 1, 0.85];

export const SLA_TYPES = ["response", "first_response", "resolution"] as const;
/**
 * SLA targets in minutes for a silver contract, rows follow PRIORITIES, columns SLA_TYPES. Critical tickets are
 * measured on the 24x7 clock, every other priority in business minutes (Mon-Fri 08:00-18:00 UTC).
 */
export const SLA_BASE_MINUTES = [[15, 30, 360], [30, 90, 600], [60, 240, 1800], [240, 600, 3600]];
export const SLA_CALENDARS = ["24x7", "business_hours"] as const;
export const SLA_STATUSES = ["met", "breached", "pending"] as const;
export const BREACH_REASONS = [
  "dispatch_delay",
  "technician_backlog",
  "effort_overrun",
  "extended_wait",
  "open_past_due",
] as const;
/** A resolution breach counts as effort overrun when actual hours exceed the estimate by this factor. */
export const EFFORT_OVERRUN_FACTOR = 1.25;

export const TICKET_STATUSES = ["new", "assigned", "in_progress", "resolved", "closed"] as const;
/** Days after resolution at which a ticket is closed. */
export const CLOSE_AFTER_DAYS = 3;

export const SERVICE_TYPES = ["incident", "service_request", "change_request", "problem"] as const;
/** Priority weights by service type (rows follow SERVICE_TYPES, columns PRIORITIES). */
export const PRIORITY_WEIGHTS = [[5, 20, 50, 25], [0, 6, 44, 50], [0, 10, 50, 40], [2, 28, 50, 20]];
/** Priority weights of tickets raised by an incident burst, by severity 1..4. */
export const BURST_PRIORITY_WEIGHTS = [[50, 40, 10, 0], [20, 50, 30, 0], [5, 35, 50, 10], [0, 20, 60, 20]];
/** Burst surge by severity 1..4: extra arrivals per hour as a multiple of the client's mean business-hour rate. */
export const BURST_SURGE = [4, 3, 2, 1.5];
/** Minimum extra arrivals per hour of an affected client, by severity, so small clients show bursts too. */
export const BURST_FLOOR = [0.6, 0.3, 0.15, 0.08];
/** Probability that a client is affected by a burst, by severity. */
export const BURST_REACH = [0.85, 0.5, 0.25, 0.12];
/** Share of a burst's tickets that fall in the burst's own category. */
export const BURST_CATEGORY_SHARE = 0.8;

export interface Subcategory {
  name: string;
  /** Median hands-on hours before priority, complexity and skill. */
  hours: number;
  /** Weights over SERVICE_TYPES. */
  types: readonly number[];
  titles: readonly string[];
}

export interface Category {
  name: string;
  weight: number;
  /** Weight of the category as the cause of an incident burst. */
  burstWeight: number;
  subcategories: readonly Subcategory[];
}

export const CATEGORIES: readonly Category[] = [
  {
    name: "accounts",
    weight: 20,
    burstWeight: 0,
    subcategories: [
      { name: "password_reset", hours: 0.3, types: [0, 1, 0, 0], titles: ["Password reset", "Account locked out"] },
      { name: "onboarding", hours: 2.5, types: [0, 1, 0, 0], titles: ["New starter setup", "Onboard new employee"] },
      { name: "offboarding", hours: 1.5, types: [0, 1, 0, 0], titles: ["Leaver account removal", "Offboard employee"] },
      {
        name: "permissions",
        hours: 0.6,
        types: [0, 8, 2, 0],
        titles: ["Shared folder access", "Group membership change"],
      },
    ],
  },
  {
    name: "email",
    weight: 14,
    burstWeight: 20,
    subcategories: [
      { name: "mailbox", hours: 0.8, types: [6, 4, 0, 0], titles: ["Mailbox full", "Outlook not syncing"] },
      { name: "delivery", hours: 1.2, types: [9, 0, 0, 1], titles: ["Emails bouncing", "Mail delayed to external"] },
      { name: "spam_filter", hours: 0.7, types: [6, 3, 1, 0], titles: ["Legitimate mail quarantined", "Spam surge"] },
      { name: "calendar", hours: 0.5, types: [7, 3, 0, 0], titles: ["Calendar invites missing", "Room booking fails"] },
    ],
  },
  {
    name: "software",
    weight: 18,
    burstWeight: 5,
    subcategories: [
      { name: "office_apps", hours: 0.8, types: [8, 2, 0, 0], titles: ["Excel crashes on open", "Teams won't start"] },
      {
        name: "line_of_business",
        hours: 2.5,
        types: [7, 1, 1, 1],
        titles: ["ERP client error", "Practice management app slow"],
      },
      { name: "os_update", hours: 1.5, types: [4, 0, 6, 0], titles: ["Windows update failed", "Patch rollout"] },
      { name: "installation", hours: 0.7, types: [0, 1, 0, 0], titles: ["Install software", "Licence activation"] },
    ],
  },
  {
    name: "hardware",
    weight: 16,
    burstWeight: 0,
    subcategories: [
      { name: "laptop_desktop", hours: 1.5, types: [7, 3, 0, 0], titles: ["Laptop won't boot", "PC running slow"] },
      { name: "printer", hours: 1.0, types: [9, 1, 0, 0], titles: ["Printer offline", "Print jobs stuck"] },
      { name: "peripheral", hours: 0.5, types: [5, 5, 0, 0], titles: ["Dock not detected", "Headset not working"] },
      {
        name: "server_hardware",
        hours: 4.0,
        types: [7, 0, 2, 1],
        titles: ["Server disk failure", "RAID degraded"],
      },
    ],
  },
  {
    name: "network",
    weight: 12,
    burstWeight: 35,
    subcategories: [
      { name: "connectivity", hours: 2.0, types: [9, 0, 0, 1], titles: ["Site internet down", "Intermittent drops"] },
      { name: "vpn", hours: 1.2, types: [8, 2, 0, 0], titles: ["VPN won't connect", "VPN disconnects"] },
      { name: "wifi", hours: 1.5, types: [8, 1, 1, 0], titles: ["Wi-Fi slow in office", "Guest Wi-Fi setup"] },
      { name: "firewall", hours: 2.5, types: [3, 2, 5, 0], titles: ["Firewall rule change", "Port blocked"] },
    ],
  },
  {
    name: "security",
    weight: 7,
    burstWeight: 10,
    subcategories: [
      { name: "phishing", hours: 1.5, types: [1, 0, 0, 0], titles: ["Phishing email reported", "Suspicious link"] },
      { name: "malware", hours: 4.0, types: [9, 0, 0, 1], titles: ["Malware alert", "Ransomware warning"] },
      { name: "access_review", hours: 2.0, types: [0, 8, 2, 0], titles: ["Quarterly access review", "Audit request"] },
      { name: "mfa", hours: 0.6, types: [5, 5, 0, 0], titles: ["MFA prompt loop", "Enrol new MFA device"] },
    ],
  },
  {
    name: "cloud",
    weight: 8,
    burstWeight: 25,
    subcategories: [
      { name: "m365_tenant", hours: 1.5, types: [6, 3, 1, 0], titles: ["SharePoint error", "Licence assignment"] },
      { name: "iaas", hours: 3.0, types: [5, 2, 3, 0], titles: ["Azure VM unreachable", "Resize cloud server"] },
      { name: "saas_integration", hours: 2.5, types: [6, 2, 1, 1], titles: ["CRM sync failing", "API token expired"] },
      { name: "sso", hours: 1.5, types: [7, 2, 1, 0], titles: ["Single sign-on error", "Add SSO application"] },
    ],
  },
  {
    name: "backup",
    weight: 5,
    burstWeight: 5,
    subcategories: [
      { name: "backup_failure", hours: 1.5, types: [8, 0, 0, 2], titles: ["Nightly backup failed", "Backup job hung"] },
      { name: "restore_request", hours: 1.0, types: [2, 8, 0, 0], titles: ["Restore deleted file", "Restore mailbox"] },
      { name: "replication", hours: 2.5, types: [6, 0, 3, 1], titles: ["Replication lag", "DR test"] },
    ],
  },
];

export const CATEGORY_NAMES: readonly string[] = CATEGORIES.map((c) => c.name);

export interface Role {
  name: string;
  department: string;
  weight: number;
  /** Skill level 1..5 by category name; categories not listed are level 1. */
  skills: Readonly<Record<string, number>>;
  /** Internal hourly cost range (USD). */
  rate: readonly [number, number];
  certifications: readonly string[];
}

export const ROLES: readonly Role[] = [
  {
    name: "service_desk_t1",
    department: "service_desk",
    weight: 35,
    skills: { accounts: 3, email: 3, software: 2, hardware: 2 },
    rate: [32, 42],
    certifications: ["CompTIA A+", "ITIL 4 Foundation", "Microsoft 365 Fundamentals"],
  },
  {
    name: "service_desk_t2",
    department: "service_desk",
    weight: 25,
    skills: { accounts: 4, email: 4, software: 4, hardware: 3, network: 2, cloud: 2, backup: 2 },
    rate: [42, 55],
    certifications: ["CompTIA A+", "CompTIA Network+", "ITIL 4 Foundation", "Microsoft 365 Endpoint Administrator"],
  },
  {
    name: "systems_engineer",
    department: "infrastructure",
    weight: 15,
    skills: { hardware: 4, software: 3, cloud: 4, backup: 4, network: 3, email: 3 },
    rate: [55, 72],
    certifications: ["VMware VCP-DCV", "Microsoft Azure Administrator", "Veeam VMCE", "RHCSA"],
  },
  {
    name: "network_engineer",
    department: "infrastructure",
    weight: 10,
    skills: { network: 5, security: 3, hardware: 3 },
    rate: [60, 78],
    certifications: ["CCNA", "CCNP Enterprise", "Fortinet NSE 4", "CompTIA Network+"],
  },
  {
    name: "security_analyst",
    department: "security",
    weight: 7,
    skills: { security: 5, network: 3, accounts: 3, email: 3 },
    rate: [65, 85],
    certifications: ["CompTIA Security+", "CISSP", "CEH", "Microsoft Security Operations Analyst"],
  },
  {
    name: "cloud_engineer",
    department: "cloud",
    weight: 8,
    skills: { cloud: 5, backup: 3, email: 4, accounts: 3 },
    rate: [62, 80],
    certifications: ["AWS Solutions Architect Associate", "Microsoft Azure Administrator", "Google Cloud Engineer"],
  },
];

export const ROLE_NAMES: readonly string[] = ROLES.map((r) => r.name);
export const DEPARTMENTS = ["service_desk", "infrastructure", "security", "cloud"] as const;
/** Availability (share of a workday spent on tickets) values and their weights. */
export const AVAILABILITY = [1.0, 0.9, 0.8, 0.6, 0.5];
export const AVAILABILITY_WEIGHTS = [35, 30, 20, 10, 5];

/**
 * Work-time multiplier of a technician's skill level in a ticket's category: level 5 works 25 % faster than the
 * baseline, level 1 takes 55 % longer.
 * @param level skill level 1..5
 * @returns the multiplier of hands-on hours
 */
export function skillFactor(level: number): number {
  return 1.75 - 0.2 * level;
}

export const FIRST_NAMES = [
  "Alex",
  "Sam",
  "Jordan",
  "Taylor",
  "Morgan",
  "Casey",
  "Riley",
  "Jamie",
  "Avery",
  "Quinn",
  "Priya",
  "Wei",
  "Fatima",
  "Lucas",
  "Sofia",
  "Mateo",
  "Aisha",
  "Noah",
  "Elena",
  "Omar",
  "Hannah",
  "Kenji",
  "Grace",
  "Diego",
  "Maya",
  "Tomasz",
  "Ingrid",
  "Kwame",
  "Leila",
  "Ravi",
];
export const LAST_NAMES = [
  "Nguyen",
  "Smith",
  "Garcia",
  "Okafor",
  "Kowalski",
  "Patel",
  "Johansson",
  "Brown",
  "Moreau",
  "Schmidt",
  "Rossi",
  "Tanaka",
  "Haddad",
  "Murphy",
  "Silva",
  "Chen",
  "Novak",
  "Mensah",
  "Walsh",
  "Fischer",
  "Kaur",
  "Lopez",
  "Ivanova",
  "Dubois",
  "Reyes",
];
export const COMPANY_PREFIXES = [
  "Northwind",
  "Bluepeak",
  "Harbor",
  "Cedar",
  "Summit",
  "Ironwood",
  "Silverline",
  "Oakridge",
  "Brightwater",
  "Redstone",
  "Maple",
  "Granite",
  "Evergreen",
  "Lakeside",
  "Pioneer",
  "Crescent",
  "Falcon",
  "Riverbend",
  "Keystone",
  "Meridian",
];
export const COMPANY_SUFFIX_BY_INDUSTRY: readonly (readonly string[])[] = [
  ["Medical Group", "Dental", "Health Partners", "Clinic"],
  ["Law LLP", "Legal", "& Associates"],
  ["Capital", "Financial", "Wealth Advisors"],
  ["Manufacturing", "Industries", "Fabrication"],
  ["Outfitters", "Retail", "Market"],
  ["Academy", "School District", "College"],
  ["Foundation", "Trust", "Community Services"],
  ["Builders", "Construction", "Contractors"],
  ["Hotels", "Hospitality", "Resorts"],
  ["Labs", "Software", "Technologies"],
  ["Logistics", "Freight", "Distribution"],
  ["Realty", "Properties", "Estates"],
];
export const IMPACT_PHRASES = [
  "Blocking work for the affected users.",
  "Users can work around it for now.",
  "Reported by phone to the service desk.",
  "Raised through the client portal.",
  "Raised automatically by monitoring.",
];
