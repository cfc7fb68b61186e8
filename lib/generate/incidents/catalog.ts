/**
 * What the fleet runs: services (the capacity fleet's `app_name`s), what depends on what, which database engine
 * each database service uses, the external vendors, the CloudFront path groups and the people who write e-mails
 * and tickets. Every name is fictional; every domain is a reserved example domain.
 * @module
 */
import type { Archetype } from "@lib/generate/capacity/mod.ts";

/** Database engines whose native logs are written. */
export const ENGINES = ["postgresql", "mysql", "mongodb"] as const;
/** A database engine. */
export type Engine = (typeof ENGINES)[number];

/** One service: a capacity `app_name`, its archetype and what it calls. */
export interface ServiceInfo {
  name: string;
  archetype: Archetype;
  /** Services (or vendors, `vendor:<key>`) it calls. */
  dependsOn: readonly string[];
  /** The team that owns it (ticket assignment group). */
  team: string;
  /** Database engine, for database services. */
  engine?: Engine;
  /** Logical database name, for database services. */
  database?: string;
  /** The anomaly-model tier its service metrics follow. */
  tier: "frontend" | "api" | "backend" | "database" | "queue";
}

/** The services of the capacity fleet (`APPS` of the capacity generator), with dependencies. */
export const SERVICES: readonly ServiceInfo[] = [
  {
    name: "storefront",
    archetype: "web",
    tier: "frontend",
    team: "Web Platform",
    dependsOn: ["search-svc", "inventory-svc", "orders-api", "auth-svc", "cdn-origin"],
  },
  {
    name: "customer-portal",
    archetype: "web",
    tier: "frontend",
    team: "Web Platform",
    dependsOn: ["auth-svc", "orders-api", "billing-svc"],
  },
  { name: "cdn-origin", archetype: "web", tier: "frontend", team: "Web Platform", dependsOn: ["vendor:storage"] },
  { name: "marketing-site", archetype: "web", tier: "frontend", team: "Web Platform", dependsOn: ["cdn-origin"] },
  {
    name: "partner-portal",
    archetype: "web",
    tier: "frontend",
    team: "Partner Integrations",
    dependsOn: ["auth-svc", "inventory-svc"],
  },
  {
    name: "orders-api",
    archetype: "application",
    tier: "api",
    team: "Commerce",
    dependsOn: ["orders-db", "payments-api", "inventory-svc"],
  },
  {
    name: "payments-api",
    archetype: "application",
    tier: "api",
    team: "Payments",
    dependsOn: ["ledger-db", "vendor:payments"],
  },
  { name: "inventory-svc", archetype: "application", tier: "backend", team: "Commerce", dependsOn: ["catalog-db"] },
  {
    name: "auth-svc",
    archetype: "application",
    tier: "backend",
    team: "Identity",
    dependsOn: ["customers-db", "vendor:sms"],
  },
  { name: "search-svc", archetype: "application", tier: "api", team: "Search", dependsOn: ["catalog-db"] },
  {
    name: "billing-svc",
    archetype: "application",
    tier: "backend",
    team: "Payments",
    dependsOn: ["ledger-db", "customers-db", "vendor:email"],
  },
  {
    name: "orders-db",
    archetype: "database",
    tier: "database",
    team: "Database Operations",
    dependsOn: [],
    engine: "postgresql",
    database: "orders",
  },
  {
    name: "customers-db",
    archetype: "database",
    tier: "database",
    team: "Database Operations",
    dependsOn: [],
    engine: "mysql",
    database: "customers",
  },
  {
    name: "ledger-db",
    archetype: "database",
    tier: "database",
    team: "Database Operations",
    dependsOn: [],
    engine: "postgresql",
    database: "ledger",
  },
  {
    name: "analytics-dw",
    archetype: "database",
    tier: "database",
    team: "Data Platform",
    dependsOn: [],
    engine: "mysql",
    database: "analytics",
  },
  {
    name: "catalog-db",
    archetype: "database",
    tier: "database",
    team: "Database Operations",
    dependsOn: [],
    engine: "mongodb",
    database: "catalog",
  },
  {
    name: "etl-nightly",
    archetype: "batch",
    tier: "queue",
    team: "Data Platform",
    dependsOn: ["orders-db", "analytics-dw"],
  },
  { name: "report-builder", archetype: "batch", tier: "queue", team: "Data Platform", dependsOn: ["analytics-dw"] },
  {
    name: "backup-runner",
    archetype: "batch",
    tier: "queue",
    team: "Database Operations",
    dependsOn: ["orders-db", "ledger-db", "customers-db", "catalog-db", "vendor:storage"],
  },
  { name: "ml-training", archetype: "batch", tier: "queue", team: "Data Platform", dependsOn: ["analytics-dw"] },
  {
    name: "invoice-batch",
    archetype: "batch",
    tier: "queue",
    team: "Payments",
    dependsOn: ["ledger-db", "billing-svc", "vendor:email"],
  },
];

/** Services by name. */
export const SERVICE_BY_NAME: ReadonlyMap<string, ServiceInfo> = new Map(SERVICES.map((s) => [s.name, s]));

/**
 * The services hurt when `root` fails: itself and everything that calls it, directly or not, in catalogue order.
 * @param root a service name or `vendor:<key>`
 * @returns the affected services
 */
export function dependents(root: string): string[] {
  const hit = new Set<string>([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const s of SERVICES) {
      if (!hit.has(s.name) && s.dependsOn.some((d) => hit.has(d))) {
        hit.add(s.name);
        grew = true;
      }
    }
  }
  return SERVICES.filter((s) => hit.has(s.name)).map((s) => s.name);
}

/** An external provider the services call. */
export interface Vendor {
  key: string;
  /** Fictional company name. */
  name: string;
  /** What it provides, in words. */
  product: string;
  /** The address its status notices come from. */
  from: string;
}

/** The vendors (fictional companies, reserved domains). */
export const VENDORS: readonly Vendor[] = [
  { key: "payments", name: "Northwind Payments", product: "card payment gateway", from: "status@example.net" },
  { key: "sms", name: "Tailspin Messaging", product: "SMS one-time-password delivery", from: "noc@example.net" },
  { key: "email", name: "Wingtip Mail", product: "transactional e-mail relay", from: "alerts@example.net" },
  { key: "storage", name: "Fabrikam Cloud Storage", product: "object storage", from: "status-updates@example.net" },
];

/** A group of CloudFront paths served by one service. */
export interface PathGroup {
  service: string;
  /** Share of requests. */
  share: number;
  /** URI stems (a `{n}` is replaced by a number from the group's id range). */
  stems: readonly string[];
  /** Range of `{n}`. */
  ids: number;
  /** Cache behaviour: probability of Hit, RefreshHit, Miss for a successful GET. */
  cache: readonly [number, number, number];
  method: "GET" | "MIXED";
  contentType: string;
  /** Median response size, bytes. */
  bytes: number;
  /** Median origin latency on a miss, seconds. */
  originSeconds: number;
  /** Query strings (`-` for none) the group uses. */
  queries: readonly string[];
}

/** The CloudFront path groups of the public site `www.example.com`. */
export const PATH_GROUPS: readonly PathGroup[] = [
  {
    service: "cdn-origin",
    share: 0.38,
    ids: 400,
    cache: [0.9, 0.03, 0.07],
    method: "GET",
    contentType: "image/webp",
    bytes: 48_000,
    originSeconds: 0.08,
    queries: ["-"],
    stems: ["/images/products/{n}.webp", "/images/banners/{n}.webp", "/images/thumbs/{n}.webp"],
  },
  {
    service: "cdn-origin",
    share: 0.14,
    ids: 40,
    cache: [0.95, 0.02, 0.03],
    method: "GET",
    contentType: "application/javascript",
    bytes: 92_000,
    originSeconds: 0.05,
    queries: ["-", "v={n}"],
    stems: ["/static/js/app.{n}.js", "/static/js/vendor.{n}.js", "/static/css/main.{n}.css"],
  },
  {
    service: "storefront",
    share: 0.16,
    ids: 900,
    cache: [0.55, 0.05, 0.4],
    method: "GET",
    contentType: "text/html",
    bytes: 36_000,
    originSeconds: 0.18,
    queries: ["-", "-", "ref=home", "utm_source=newsletter"],
    stems: ["/", "/products/{n}", "/category/{n}", "/deals"],
  },
  {
    service: "search-svc",
    share: 0.07,
    ids: 60,
    cache: [0.2, 0.02, 0.78],
    method: "GET",
    contentType: "application/json",
    bytes: 7_500,
    originSeconds: 0.12,
    queries: ["q=lamp", "q=desk+chair", "q=kettle", "q=rain+jacket", "q=headphones", "q=garden+hose&page={n}"],
    stems: ["/api/v1/search"],
  },
  {
    service: "orders-api",
    share: 0.06,
    ids: 5000,
    cache: [0, 0, 1],
    method: "MIXED",
    contentType: "application/json",
    bytes: 2_400,
    originSeconds: 0.15,
    queries: ["-"],
    stems: ["/api/v1/cart", "/api/v1/orders/{n}", "/api/v1/orders"],
  },
  {
    service: "payments-api",
    share: 0.02,
    ids: 5000,
    cache: [0, 0, 1],
    method: "MIXED",
    contentType: "application/json",
    bytes: 1_200,
    originSeconds: 0.35,
    queries: ["-"],
    stems: ["/api/v1/checkout", "/api/v1/checkout/{n}/confirm"],
  },
  {
    service: "auth-svc",
    share: 0.04,
    ids: 1,
    cache: [0, 0, 1],
    method: "MIXED",
    contentType: "application/json",
    bytes: 900,
    originSeconds: 0.09,
    queries: ["-"],
    stems: ["/api/v1/login", "/api/v1/token", "/api/v1/session"],
  },
  {
    service: "inventory-svc",
    share: 0.04,
    ids: 900,
    cache: [0.3, 0.05, 0.65],
    method: "GET",
    contentType: "application/json",
    bytes: 1_800,
    originSeconds: 0.07,
    queries: ["-"],
    stems: ["/api/v1/inventory/{n}"],
  },
  {
    service: "customer-portal",
    share: 0.05,
    ids: 200,
    cache: [0.1, 0.02, 0.88],
    method: "GET",
    contentType: "text/html",
    bytes: 28_000,
    originSeconds: 0.2,
    queries: ["-", "tab=orders"],
    stems: ["/account", "/account/orders", "/account/orders/{n}", "/account/settings"],
  },
  {
    service: "billing-svc",
    share: 0.01,
    ids: 3000,
    cache: [0, 0, 1],
    method: "GET",
    contentType: "application/pdf",
    bytes: 120_000,
    originSeconds: 0.4,
    queries: ["-"],
    stems: ["/account/invoices/{n}.pdf"],
  },
  {
    service: "partner-portal",
    share: 0.01,
    ids: 50,
    cache: [0.2, 0.02, 0.78],
    method: "GET",
    contentType: "text/html",
    bytes: 22_000,
    originSeconds: 0.25,
    queries: ["-"],
    stems: ["/partners", "/partners/catalog/{n}"],
  },
  {
    service: "marketing-site",
    share: 0.02,
    ids: 120,
    cache: [0.8, 0.05, 0.15],
    method: "GET",
    contentType: "text/html",
    bytes: 31_000,
    originSeconds: 0.15,
    queries: ["-", "utm_source=social"],
    stems: ["/blog", "/blog/{n}", "/about"],
  },
];

/** Fictional first names. */
export const FIRST_NAMES = [
  "Avery",
  "Jordan",
  "Riley",
  "Morgan",
  "Casey",
  "Quinn",
  "Rowan",
  "Harper",
  "Emerson",
  "Finley",
  "Sasha",
  "Devon",
  "Parker",
  "Reese",
  "Skyler",
  "Dakota",
  "Hayden",
  "Jamie",
  "Kendall",
  "Logan",
  "Marlowe",
  "Noel",
  "Peyton",
  "Remy",
  "Sage",
  "Tatum",
  "Blair",
  "Charlie",
  "Drew",
  "Elliot",
  "Frankie",
  "Greer",
  "Indigo",
  "Jules",
  "Kai",
  "Lane",
  "Milan",
  "Nico",
  "Oakley",
  "Presley",
] as const;

/** Fictional last names. */
export const LAST_NAMES = [
  "Ashdown",
  "Brightwater",
  "Calloway",
  "Dunmore",
  "Elderberry",
  "Fairweather",
  "Glenholm",
  "Hartwell",
  "Ivesdale",
  "Juniper",
  "Kestrel",
  "Larkspur",
  "Merriweather",
  "Northcott",
  "Oakhurst",
  "Pemberton",
  "Quillfeather",
  "Rosewood",
  "Stonebridge",
  "Thistlewood",
  "Underhill",
  "Valebrook",
  "Westbrook",
  "Yarrowby",
  "Zephyrine",
  "Ambervale",
  "Bramblecote",
  "Coldwater",
  "Driftwood",
  "Emberly",
  "Foxglove",
  "Greywell",
  "Hollowmere",
  "Ironwood",
  "Kingsmere",
  "Lindenfield",
  "Moorcroft",
  "Netherby",
  "Orchardson",
  "Pinecrest",
] as const;

/** Fictional customer companies (their contacts write escalations from example.org). */
export const CUSTOMERS = [
  "Blue Yonder Outfitters",
  "Coho Home Goods",
  "Litware Garden Supply",
  "Proseware Books",
  "Adventure Works Cycles",
  "Alpine Ski House",
  "Lucerne Publishing",
  "Margie's Travel",
  "Trey Research",
  "Woodgrove Retail",
] as const;

/** The operations team's shared mailboxes. */
export const MAILBOXES = {
  incidents: "incidents@example.com",
  noc: "noc@example.com",
  support: "support@example.com",
  changes: "change-board@example.com",
  dba: "dba-team@example.com",
  security: "security@example.com",
  allStaff: "it-announcements@example.com",
} as const;

/** Services that serve the public site (have a CloudFront path group). */
export const EXPOSED_SERVICES: ReadonlySet<string> = new Set(PATH_GROUPS.map((g) => g.service));

/** What a customer cannot do when a service fails, for escalations and user reports. */
export const CUSTOMER_ACTION: Readonly<Record<string, string>> = {
  "storefront": "browse the shop",
  "search-svc": "search the catalogue",
  "orders-api": "place orders",
  "payments-api": "pay at checkout",
  "auth-svc": "sign in",
  "customer-portal": "open their account pages",
  "inventory-svc": "see stock levels",
  "billing-svc": "download invoices",
  "cdn-origin": "load product images",
  "partner-portal": "use the partner portal",
  "marketing-site": "open the blog",
};
