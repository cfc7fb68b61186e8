import { FIXTURE_SETS } from "../fixtures/ingest/make_fixtures.ts";
import { writeFixtureFiles } from "../fixtures/ingest/_write.ts";

const made: string[] = [];
// Fixture folders live until the test module ends.
globalThis.addEventListener("unload", () => {
  for (const dir of made) {
    try {
      Deno.removeSync(dir, { recursive: true });
    } catch {
      // already gone
    }
  }
});

/**
 * Writes a fixture set (or any files) into a fresh temp folder, removed when the test module ends.
 * @param files a fixture set name or files
 * @returns the folder
 */
export async function tempFixture(
  files: keyof typeof FIXTURE_SETS | Record<string, string | Uint8Array>,
): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "opslab-ingest-" });
  made.push(dir);
  await writeFixtureFiles(dir, typeof files === "string" ? FIXTURE_SETS[files]() : files);
  return dir;
}

/** Runs `fn` with a temp folder removed afterwards. */
export async function withTemp<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "opslab-ingest-" });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}
