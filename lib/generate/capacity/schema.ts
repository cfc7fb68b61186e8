// moved: re-export kept until merge
export * from "@lib/schema/capacity.ts";
