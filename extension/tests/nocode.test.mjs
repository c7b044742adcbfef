// Rule 5: no remote code and no eval; the pages keep the default MV3 content security policy.
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

const root = new URL("..", import.meta.url).pathname;

function files(folder) {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (name === "tests") return [];
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

test("the manifest sets no content security policy of its own and no remote script", () => {
  const manifest = JSON.parse(readFileSync(join(root, "manifest.json"), "utf8"));
  assert.equal(manifest.content_security_policy, undefined);
  assert.equal(manifest.web_accessible_resources, undefined);
  assert.equal(manifest.externally_connectable, undefined);
});

test("no eval, no Function constructor, no string timers, no script from elsewhere", () => {
  const found = [];
  for (const path of files(root).filter((p) => /\.(js|html)$/.test(p))) {
    const text = readFileSync(path, "utf8");
    for (const pattern of [/\beval\s*\(/, /new\s+Function\s*\(/, /set(Timeout|Interval)\s*\(\s*["'`]/, /<script[^>]+src=["']?(https?:)?\/\//, /import\s*\(\s*["'`]https?:/]) {
      if (pattern.test(text)) found.push(`${path}: ${pattern}`);
    }
  }
  assert.deepEqual(found, []);
});
