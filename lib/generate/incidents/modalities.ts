/** The modalities that tell an incident's story, in the order they are written. */
export const MODALITIES = ["metrics", "db_logs", "cloudfront", "emails", "tickets"] as const;
/** One modality. */
export type Modality = (typeof MODALITIES)[number];
