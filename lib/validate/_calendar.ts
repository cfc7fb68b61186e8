// moved: re-export kept until merge
export * from "@lib/calendar/days.ts";
