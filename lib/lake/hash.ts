import { createHash } from "node:crypto";

/**
 * SHA-256 of a file, streamed so large files need little memory.
 * @param path the file
 * @returns lowercase hex digest
 */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  using file = await Deno.open(path, { read: true });
  for await (const chunk of file.readable) hash.update(chunk);
  return hash.digest("hex");
}
