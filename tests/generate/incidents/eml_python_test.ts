import "@lib/kinds/mod.ts"; // registers every dataset kind
/**
 * Python's standard `email` package as the oracle for the generated `.eml` files: every message parses with no
 * defect in any part or header (policy=email.policy.default), and threads rebuild from Message-ID, In-Reply-To
 * and References alone.
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { filesUnder, fixture, readText } from "./_fixture.ts";

const INSTALL = "python3 is needed as the e-mail oracle: apt-get install -y python3";

const SCRIPT = String.raw`
import json, os, sys
from email import policy
from email.parser import BytesParser

root = sys.argv[1]
out = {"files": 0, "defects": [], "messages": []}
for dirpath, _, names in os.walk(root):
    for name in sorted(names):
        if not name.endswith(".eml"):
            continue
        path = os.path.join(dirpath, name)
        rel = os.path.relpath(path, root)
        with open(path, "rb") as f:
            msg = BytesParser(policy=policy.default).parse(f)
        out["files"] += 1
        found = []
        for part in msg.walk():
            found += [type(d).__name__ for d in part.defects]
            for key in part.keys():
                found += [key + ": " + type(d).__name__ for d in getattr(part[key], "defects", ())]
        body = msg.get_body(preferencelist=("plain",))
        if body is None:
            found.append("no text/plain body")
        else:
            body.get_content()
        if found:
            out["defects"].append({"file": rel, "defects": found})
        ids = lambda v: [x.strip() for x in str(v or "").replace(">", "> ").split() if x.strip()]
        out["messages"].append({
            "file": rel,
            "id": str(msg["Message-ID"]).strip(),
            "in_reply_to": str(msg["In-Reply-To"]).strip() if msg["In-Reply-To"] else None,
            "references": ids(msg["References"]),
            "subject": str(msg["Subject"]),
        })
by_id = {m["id"]: m for m in out["messages"]}
problems = []
def root_of(m):
    seen = set()
    while m["in_reply_to"]:
        if m["id"] in seen:
            problems.append("cycle at " + m["file"]); return None
        seen.add(m["id"])
        parent = by_id.get(m["in_reply_to"])
        if parent is None:
            problems.append(m["file"] + ": In-Reply-To " + m["in_reply_to"] + " is not a message of the set"); return None
        if m["references"] != parent["references"] + [parent["id"]]:
            problems.append(m["file"] + ": References is not the parent's References plus the parent")
        m = parent
    return m["id"]
for m in out["messages"]:
    m["thread"] = root_of(m)
out["thread_problems"] = problems
print(json.dumps(out))
`;

interface PyResult {
  files: number;
  defects: { file: string; defects: string[] }[];
  messages: { file: string; id: string; in_reply_to: string | null; references: string[]; thread: string | null }[];
  thread_problems: string[];
}

async function pythonEmail(dir: string): Promise<PyResult> {
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command("python3", { args: ["-c", SCRIPT, dir], stdout: "piped", stderr: "piped" }).output();
  } catch {
    assert.fail(INSTALL);
  }
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

Deno.test("Python's email package parses every generated .eml with no defect and rebuilds every thread", async () => {
  const fx = await fixture();
  const files = filesUnder(fx, "emails/").filter((f) => f.endsWith(".eml"));
  const got = await pythonEmail(join(fx.dir, "emails"));
  assert.equal(got.files, files.length);
  assert.ok(got.files > 50, `enough messages to mean something: ${got.files}`);
  assert.deepEqual(got.defects, []);
  assert.deepEqual(got.thread_problems, []);
  const index = fx.table("email_index").toRecords() as Record<string, unknown>[];
  const byFile = new Map(index.map((r) => [r.file as string, r]));
  const threadsOfIncident = new Map<string, Set<string>>();
  let replies = 0;
  for (const m of got.messages) {
    const row = byFile.get(`emails/${m.file}`);
    assert.ok(row, m.file);
    // The thread Python rebuilt from the headers is the one the generator meant.
    assert.equal(m.thread, `<${row.thread_id}>`, m.file);
    if (m.in_reply_to) replies++;
    const inc = row.incident_id as string | null;
    if (inc) threadsOfIncident.set(inc, (threadsOfIncident.get(inc) ?? new Set()).add(m.thread!));
  }
  assert.ok(replies > got.files / 3, `threads have replies: ${replies} of ${got.files}`);
  // Threads never mix incidents: each rebuilt thread belongs to one incident (or none).
  const owner = new Map<string, string>();
  for (const [inc, threads] of threadsOfIncident) {
    for (const t of threads) {
      assert.ok(!owner.has(t) || owner.get(t) === inc, `thread ${t} mixes ${owner.get(t)} and ${inc}`);
      owner.set(t, inc);
    }
  }
  // The message texts read: no lone template brackets or unfilled variables.
  for (const f of files.slice(0, 200)) {
    const text = await readText(fx.dir, f);
    assert.doesNotMatch(text, /\{[a-z_]+\}|\[[A-Za-z ]+\|/, f);
  }
});

Deno.test("the Python oracle trips on a malformed header and a reply to an unknown message", async () => {
  const fx = await fixture();
  const files = filesUnder(fx, "emails/").filter((f) => f.endsWith(".eml"));
  const dir = await Deno.makeTempDir({ prefix: "opslab-eml-" });
  try {
    const a = await readText(fx.dir, files[0]);
    await Deno.writeTextFile(join(dir, "a.eml"), a.replace("\r\nFrom: ", "\r\nthis line is no header\r\nFrom: "));
    const b = await readText(fx.dir, files[1]);
    const unknown = "In-Reply-To: <missing.0@example.com>";
    await Deno.writeTextFile(
      join(dir, "b.eml"),
      /\r\nIn-Reply-To: /.test(b)
        ? b.replace(/In-Reply-To: <[^>]+>/, unknown)
        : b.replace("\r\nMIME-Version:", `\r\n${unknown}\r\nMIME-Version:`),
    );
    const got = await pythonEmail(dir);
    assert.equal(got.files, 2);
    assert.ok(got.defects.some((d) => d.file === "a.eml"), JSON.stringify(got.defects));
    assert.ok(got.thread_problems.some((p) => p.startsWith("b.eml")), JSON.stringify(got.thread_problems));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
