// moved: re-export kept until merge
export * from "@lib/calendar/business_hours.ts";
