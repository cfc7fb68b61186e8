// moved: re-export kept until merge
export * from "@lib/formats/cloudfront.ts";
