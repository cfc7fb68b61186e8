import { z } from "zod";
import {
  BILLING_FREQUENCIES,
  BREACH_REASONS,
  CATEGORIES,
  COMPANY_SIZES,
  CONTRACT_TYPES,
  DEPARTMENTS,
  INDUSTRIES,
  PRIORITIES,
  ROLE_NAMES,
  SERVICE_LEVELS,
  SERVICE_TYPES,
  SLA_CALENDARS,
  SLA_STATUSES,
  SLA_TYPES,
  TICKET_STATUSES,
} from "./catalog.ts";

/** Industry of a client. */
export const Industry = z.enum(INDUSTRIES);
/** Industry of a client. */
export type Industry = z.infer<typeof Industry>;
/** Company size band of a client. */
export const CompanySize = z.enum(COMPANY_SIZES);
/** Company size band of a client. */
export type CompanySize = z.infer<typeof CompanySize>;
/** Contract type of a client. */
export const ContractType = z.enum(CONTRACT_TYPES);
/** Contract type of a client. */
export type ContractType = z.infer<typeof ContractType>;
/** Service level of a client's contract; it scales every SLA target. */
export const ServiceLevel = z.enum(SERVICE_LEVELS);
/** Service level of a client's contract. */
export type ServiceLevel = z.infer<typeof ServiceLevel>;
/** How a client is billed. */
export const BillingFrequency = z.enum(BILLING_FREQUENCIES);
/** How a client is billed. */
export type BillingFrequency = z.infer<typeof BillingFrequency>;
/** Role of a technician. */
export const TechnicianRole = z.enum(ROLE_NAMES as [string, ...string[]]);
/** Role of a technician. */
export type TechnicianRole = z.infer<typeof TechnicianRole>;
/** Department of a technician. */
export const Department = z.enum(DEPARTMENTS);
/** Department of a technician. */
export type Department = z.infer<typeof Department>;
/** Ticket priority: critical is handled 24x7, the others in business hours. */
export const Priority = z.enum(PRIORITIES);
/** Ticket priority. */
export type Priority = z.infer<typeof Priority>;
/** Ticket lifecycle status at the snapshot time. */
export const TicketStatus = z.enum(TICKET_STATUSES);
/** Ticket lifecycle status. */
export type TicketStatus = z.infer<typeof TicketStatus>;
/** ITIL service type of a ticket. */
export const ServiceType = z.enum(SERVICE_TYPES);
/** ITIL service type of a ticket. */
export type ServiceType = z.infer<typeof ServiceType>;
/** Ticket category. */
export const Category = z.enum(CATEGORIES.map((c) => c.name) as [string, ...string[]]);
/** Ticket category. */
export type Category = z.infer<typeof Category>;
/** Ticket subcategory. */
export const Subcategory = z.enum(
  CATEGORIES.flatMap((c) => c.subcategories.map((s) => s.name)) as [string, ...string[]],
);
/** Ticket subcategory. */
export type Subcategory = z.infer<typeof Subcategory>;
/** The SLA clocks of a ticket. */
export const SlaType = z.enum(SLA_TYPES);
/** The SLA clocks of a ticket. */
export type SlaType = z.infer<typeof SlaType>;
/** Whether an SLA is measured on the 24x7 clock or in business hours. */
export const SlaCalendar = z.enum(SLA_CALENDARS);
/** Whether an SLA is measured on the 24x7 clock or in business hours. */
export type SlaCalendar = z.infer<typeof SlaCalendar>;
/** SLA outcome: met, breached, or pending (not yet due). */
export const SlaStatus = z.enum(SLA_STATUSES);
/** SLA outcome. */
export type SlaStatus = z.infer<typeof SlaStatus>;
/** Why a ticket breached its SLA, derived from its facts. */
export const BreachReason = z.enum(BREACH_REASONS);
/** Why a ticket breached its SLA. */
export type BreachReason = z.infer<typeof BreachReason>;

/** The tables of an MSP dataset, in write order; `tickets` is the primary table. */
export const MSP_TABLES = [
  "clients",
  "technicians",
  "tickets",
  "sla_metrics",
  "service_delivery_daily",
  "technician_productivity",
] as const;
/** A table of an MSP dataset. */
export type MspTableName = typeof MSP_TABLES[number];

const DT = "Datetime(ms,UTC)";

/** Column name to Polars dtype name of every MSP table, in column order (the contract of the dataset). */
export const MSP_COLUMNS: Readonly<Record<MspTableName, Readonly<Record<string, string>>>> = {
  clients: {
    client_id: "String",
    name: "String",
    industry: "String",
    company_size: "String",
    employees: "Int32",
    contract_type: "String",
    contract_value: "Float64",
    contract_start: "Date",
    contract_end: "Date",
    billing_frequency: "String",
    service_level: "String",
    created_at: DT,
    last_activity: DT,
  },
  technicians: {
    technician_id: "String",
    name: "String",
    role: "String",
    department: "String",
    skills: "String",
    certifications: "String",
    hourly_rate: "Float64",
    availability: "Float64",
  },
  tickets: {
    ticket_id: "String",
    title: "String",
    description: "String",
    status: "String",
    priority: "String",
    created_at: DT,
    due_at: DT,
    assigned_at: DT,
    first_response_at: DT,
    resolved_at: DT,
    client_id: "String",
    technician_id: "String",
    service_type: "String",
    category: "String",
    subcategory: "String",
    estimated_hours: "Float64",
    actual_hours: "Float64",
    billing_rate: "Float64",
    total_cost: "Float64",
    sla_status: "String",
    sla_breach_reason: "String",
    satisfaction: "Int32",
  },
  sla_metrics: {
    ticket_id: "String",
    sla_type: "String",
    calendar: "String",
    target_minutes: "Float64",
    actual_minutes: "Float64",
    status: "String",
  },
  service_delivery_daily: {
    date: "Date",
    tickets_created: "Int32",
    tickets_resolved: "Int32",
    open_tickets: "Int32",
    avg_resolution_hours: "Float64",
    sla_compliance_rate: "Float64",
    avg_satisfaction: "Float64",
    technician_utilization: "Float64",
    revenue: "Float64",
    cost_per_ticket: "Float64",
  },
  technician_productivity: {
    technician_id: "String",
    period: "String",
    tickets_resolved: "Int32",
    avg_resolution_hours: "Float64",
    avg_satisfaction: "Float64",
    sla_compliance_rate: "Float64",
    utilization: "Float64",
    overtime_hours: "Float64",
    performance_score: "Float64",
  },
};

/** Enum columns of every table and the values they may hold (nulls are judged by other checks). */
export const MSP_ENUMS: Readonly<Partial<Record<MspTableName, Readonly<Record<string, readonly string[]>>>>> = {
  clients: {
    industry: Industry.options,
    company_size: CompanySize.options,
    contract_type: ContractType.options,
    billing_frequency: BillingFrequency.options,
    service_level: ServiceLevel.options,
  },
  technicians: { role: TechnicianRole.options, department: Department.options },
  tickets: {
    status: TicketStatus.options,
    priority: Priority.options,
    service_type: ServiceType.options,
    category: Category.options,
    subcategory: Subcategory.options,
    sla_status: SlaStatus.options,
    sla_breach_reason: BreachReason.options,
  },
  sla_metrics: { sla_type: SlaType.options, calendar: SlaCalendar.options, status: SlaStatus.options },
};
