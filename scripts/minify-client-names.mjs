// Shortens the client .wasm's import, export and module names, as
// Emscripten's optimized builds do, and renames them to match in
// wasm-bindgen's JS glue and TypeScript declarations.
//
// wasm-bindgen names each import `__wbg_<name>_<hash>` in the module
// "./jank_hot_reload_bg.js": 146 of them are 8.5 KB of the shipped .wasm, about
// a twentieth. binaryen's pass renames them and prints the mapping; this
// script applies it. Every name the mapping lists must be found where the
// glue uses it, or the build fails here rather than in a page.
//
// Usage: node scripts/minify-client-names.mjs <pkg dir>
//   (after wasm-opt has written <pkg dir>/jank_hot_reload_bg.wasm)

import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const pkg = process.argv[2];
if (!pkg) {
  console.error("usage: node scripts/minify-client-names.mjs <pkg dir>");
  process.exit(2);
}
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const wasmPath = join(pkg, "jank_hot_reload_bg.wasm");
const gluePath = join(pkg, "jank_hot_reload.js");
const typesPath = join(pkg, "jank_hot_reload.d.ts");
const wasmTypesPath = join(pkg, "jank_hot_reload_bg.wasm.d.ts");
const GLUE_MODULE = "./jank_hot_reload_bg.js";

function fail(message) {
  console.error(`minify-client-names: ${message}`);
  process.exit(1);
}

const run = spawnSync(
  join(root, "node_modules/.bin/wasm-opt"),
  [
    wasmPath,
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
    "--minify-imports-and-exports-and-modules",
    "-o",
    wasmPath,
  ],
  { encoding: "utf8", maxBuffer: 1 << 24 },
);
if (run.status !== 0) fail(`wasm-opt failed: ${run.stderr || run.error}`);
let mapping;
try {
  mapping = JSON.parse(run.stdout);
} catch (e) {
  fail(`wasm-opt printed no name mapping: ${e.message}`);
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Replaces `pattern` in `text`, which must match `count` times (any, if null). */
function replace(text, pattern, replacement, what, count = 1) {
  let found = 0;
  const out = text.replace(pattern, (...match) => {
    found += 1;
    return typeof replacement === "function" ? replacement(...match) : replacement;
  });
  if (count !== null && found !== count) {
    fail(`expected ${count} of ${what} in the glue, found ${found}`);
  }
  return out;
}

let glue = readFileSync(gluePath, "utf8");
for (const [module, name, short] of mapping.imports) {
  if (module !== GLUE_MODULE) fail(`an import from an unknown module: ${module}`);
  // The import object's key: `        __wbg_x_hash: function(`.
  glue = replace(
    glue,
    new RegExp(`^(\\s+)${escape(name)}(: function\\()`, "m"),
    (_, indent, rest) => `${indent}${JSON.stringify(short)}${rest}`,
    `the import ${name}`,
  );
}
// The pass gives the one module all imports come from a short name too.
const modules = new Set(
  WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(wasmPath))).map((i) => i.module),
);
if (modules.size !== 1) fail(`expected one import module, found ${[...modules]}`);
glue = replace(
  glue,
  new RegExp(`${escape(JSON.stringify(GLUE_MODULE))}: import0`),
  `${JSON.stringify([...modules][0])}: import0`,
  "the import module",
);

let types = readFileSync(typesPath, "utf8");
let wasmTypes = readFileSync(wasmTypesPath, "utf8");
for (const [name, short] of mapping.exports) {
  const word = escape(name);
  glue = replace(glue, new RegExp(`\\bwasm\\.${word}\\b`, "g"), `wasm.${short}`, name, null);
  types = replace(types, new RegExp(`readonly ${word}:`), `readonly ${short}:`, name, null);
  wasmTypes = replace(
    wasmTypes,
    new RegExp(`^export const ${word}:`, "m"),
    `export const ${short}:`,
    name,
    null,
  );
}
// Every export the glue calls must be one the module now has.
const shortExports = new Set(mapping.exports.map(([, short]) => short));
for (const [, name] of glue.matchAll(/\bwasm\.([A-Za-z0-9_$]+)/g)) {
  if (!shortExports.has(name)) fail(`the glue calls wasm.${name}, which the module no longer exports`);
}

writeFileSync(gluePath, glue);
writeFileSync(typesPath, types);
writeFileSync(wasmTypesPath, wasmTypes);
