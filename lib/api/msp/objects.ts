/**
 * The API objects of the MSP sandbox (`Client`, `Technician`, `Ticket`) and how each field maps to a column of the
 * MSP lake tables. One table drives both ends: the server turns rows into objects, the ingest client turns objects
 * back into columns and checks every value against the field's kind.
 * @module
 */

/** How a field is typed on the wire. */
export type FieldKind =
  | "id" // non-empty string, the object's key
  | "string"
  | "enum"
  | "number" // finite float
  | "int" // 32-bit integer
  | "datetime" // ISO 8601 UTC with milliseconds, e.g. 2024-01-02T09:13:05.120Z
  | "date" // YYYY-MM-DD
  | "ref"; // a nested object naming another object by its key: { accountId, name }

/** One field of an API object. */
export interface ApiField {
  /** The GraphQL field name. */
  api: string;
  /** The lake column it carries. */
  column: string;
  kind: FieldKind;
  /** Whether null is a valid value. */
  nullable: boolean;
  /** For `ref`: the key field of the nested object and its (display) name column. */
  ref?: { key: string; nameColumn?: string };
}

/** An API object type over one MSP lake table. */
export interface ApiEntity {
  /** GraphQL type name. */
  type: "Client" | "Technician" | "Ticket";
  /** The list query (SuperOps names them `get<Type>List`). */
  query: "getClientList" | "getTechnicianList" | "getTicketList";
  /** The field of the list result holding the objects (SuperOps: `clients`, `userList`, `tickets`). */
  listField: "clients" | "userList" | "tickets";
  /** The lake table. */
  table: "clients" | "technicians" | "tickets";
  /** The key field. */
  key: string;
  fields: readonly ApiField[];
}

const f = (api: string, column: string, kind: FieldKind, nullable = false, ref?: ApiField["ref"]): ApiField => ({
  api,
  column,
  kind,
  nullable,
  ...(ref ? { ref } : {}),
});

/** `Client` (SuperOps: an account under contract). */
export const CLIENT: ApiEntity = {
  type: "Client",
  query: "getClientList",
  listField: "clients",
  table: "clients",
  key: "accountId",
  fields: [
    f("accountId", "client_id", "id"),
    f("name", "name", "string"),
    f("industry", "industry", "enum"),
    f("companySize", "company_size", "enum"),
    f("employeeCount", "employees", "int"),
    f("contractType", "contract_type", "enum"),
    f("contractValue", "contract_value", "number"),
    f("contractStartDate", "contract_start", "date"),
    f("contractEndDate", "contract_end", "date"),
    f("billingFrequency", "billing_frequency", "enum"),
    f("serviceLevel", "service_level", "enum"),
    f("createdTime", "created_at", "datetime"),
    f("updatedTime", "_updated", "datetime"),
  ],
};

/** `Technician` (SuperOps: a user of the technician type). */
export const TECHNICIAN: ApiEntity = {
  type: "Technician",
  query: "getTechnicianList",
  listField: "userList",
  table: "technicians",
  key: "userId",
  fields: [
    f("userId", "technician_id", "id"),
    f("name", "name", "string"),
    f("role", "role", "ref", false, { key: "name" }),
    f("department", "department", "enum"),
    f("skills", "skills", "string"),
    f("certifications", "certifications", "string"),
    f("hourlyRate", "hourly_rate", "number"),
    f("availability", "availability", "number"),
    f("updatedTime", "_updated", "datetime"),
  ],
};

/** `Ticket`. */
export const TICKET: ApiEntity = {
  type: "Ticket",
  query: "getTicketList",
  listField: "tickets",
  table: "tickets",
  key: "ticketId",
  fields: [
    f("ticketId", "ticket_id", "id"),
    f("subject", "title", "string"),
    f("description", "description", "string"),
    f("status", "status", "enum"),
    f("priority", "priority", "enum"),
    f("ticketType", "service_type", "enum"),
    f("category", "category", "enum"),
    f("subcategory", "subcategory", "enum"),
    f("client", "client_id", "ref", false, { key: "accountId", nameColumn: "_client_name" }),
    f("technician", "technician_id", "ref", true, { key: "userId", nameColumn: "_technician_name" }),
    f("createdTime", "created_at", "datetime"),
    f("assignedTime", "assigned_at", "datetime", true),
    f("firstResponseTime", "first_response_at", "datetime", true),
    f("resolutionTime", "resolved_at", "datetime", true),
    f("resolutionDueTime", "due_at", "datetime"),
    f("estimatedHours", "estimated_hours", "number"),
    f("actualHours", "actual_hours", "number", true),
    f("billingRate", "billing_rate", "number"),
    f("satisfactionRating", "satisfaction", "int", true),
    f("updatedTime", "_updated", "datetime"),
  ],
};

/** The three list entities, in sync order (tickets reference clients and technicians). */
export const ENTITIES = [CLIENT, TECHNICIAN, TICKET] as const;

/** The entity of a list query name. */
export function entityOfQuery(query: string): ApiEntity | undefined {
  return ENTITIES.find((e) => e.query === query);
}

/**
 * The GraphQL schema of the sandbox (SDL), served at `GET /msp/schema.graphql`. Shaped after SuperOps' public API:
 * `get<Type>List(input: ListInfoInput!)` returning the objects and a `listInfo`; cursor pagination is the sandbox's
 * addition (SuperOps pages by `page`/`pageSize`, which the sandbox also takes).
 */
export const SCHEMA_SDL = `scalar DateTime
scalar Date

type Query {
  getClientList(input: ListInfoInput!): ClientList!
  getTechnicianList(input: ListInfoInput!): TechnicianList!
  getTicketList(input: ListInfoInput!): TicketList!
  getSnapshotInfo: SnapshotInfo!
}

input ListInfoInput {
  page: Int          # 1-based page (offset paging); ignored when cursor is given
  pageSize: Int      # 1..500, default 100
  cursor: String     # listInfo.nextCursor of the previous page (keyset on updatedTime, key)
  condition: RuleConditionInput
}

input RuleConditionInput {
  attribute: String!  # "updatedTime"
  operator: String!   # "greaterThan" | "greaterThanOrEqual"
  value: String!      # ISO 8601 DateTime
}

type ListInfo {
  page: Int
  pageSize: Int!
  hasMore: Boolean!
  totalCount: Int!
  nextCursor: String
}

type ClientList { clients: [Client!]! listInfo: ListInfo! }
type TechnicianList { userList: [Technician!]! listInfo: ListInfo! }
type TicketList { tickets: [Ticket!]! listInfo: ListInfo! }
type SnapshotInfo { periodStart: DateTime! asOf: DateTime! }

type ClientRef { accountId: ID! name: String }
type TechnicianRef { userId: ID! name: String }
type Role { name: String! }

type Client {
  accountId: ID! name: String! industry: String! companySize: String! employeeCount: Int! contractType: String!
  contractValue: Float! contractStartDate: Date! contractEndDate: Date! billingFrequency: String!
  serviceLevel: String! createdTime: DateTime! updatedTime: DateTime!
}

type Technician {
  userId: ID! name: String! role: Role! department: String! skills: String! certifications: String!
  hourlyRate: Float! availability: Float! updatedTime: DateTime!
}

type Ticket {
  ticketId: ID! subject: String! description: String! status: String! priority: String! ticketType: String!
  category: String! subcategory: String! client: ClientRef! technician: TechnicianRef createdTime: DateTime!
  assignedTime: DateTime firstResponseTime: DateTime resolutionTime: DateTime resolutionDueTime: DateTime!
  estimatedHours: Float! actualHours: Float billingRate: Float! satisfactionRating: Int updatedTime: DateTime!
}
`;
