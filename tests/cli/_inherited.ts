/** Prints the child permission flags this process would pass on for the needs given as JSON in the first argument. */
import { inheritedPermissionFlags } from "@lib/cli/permissions.ts";

try {
  console.log(JSON.stringify(inheritedPermissionFlags(JSON.parse(Deno.args[0]))));
} catch (e) {
  console.log(JSON.stringify({ error: (e as Error).message }));
}
