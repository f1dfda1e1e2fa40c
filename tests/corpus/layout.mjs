// Runs jank test files in jank's own layout (compiler+runtime/test/jank):
//   pass-*.jank   the file evaluates to :success (asserts inside)
//   fail-*.jank   evaluating the file is an error (compile or run)
//   throw-*.jank  evaluating the file throws :success
//   skip-*.jank   not run
// A fail- or throw- file of this project may name the message it expects in a
// line `;; error: text`. Each file is one evaluation in namespace user, as
// jank's own runner has it. As in jank's runner, a throw- file may also fail to compile.
import fs from 'node:fs';
import path from 'node:path';

import { evalJank } from '../runtime/harness.mjs';

/** Every .jank test file under `dir`, sorted, with its kind. */
export function testFiles(dir) {
  const files = [];
  const walk = (at) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(jank|cljc)$/.test(entry.name)) {
        const kind = entry.name.split('-')[0];
        if (['pass', 'fail', 'throw'].includes(kind)) files.push({ file: full, kind, name: path.relative(dir, full) });
      }
    }
  };
  walk(dir);
  return files;
}

/** Evaluates one file; resolves to { ok, detail }. */
export async function runTestFile(rt, { file, kind, name }) {
  const text = fs.readFileSync(file, 'utf8');
  // The in-ns form sits on the first line, so the file's own line numbers hold.
  const result = await evalJank(rt, `(in-ns 'user) ${text}`);
  const expectedMessage = text.match(/^;; error: (.*)$/m)?.[1];
  const described = result.error === undefined
    ? `value ${result.value}`
    : `${result.phase} error: ${result.error}`;
  switch (kind) {
    case 'pass':
      return { ok: result.error === undefined && result.value === ':success', detail: described };
    case 'fail': {
      const messageOk = expectedMessage === undefined || (result.error ?? '').includes(expectedMessage);
      return { ok: result.error !== undefined && messageOk, detail: described };
    }
    case 'throw': {
      const compileError = ['read', 'analyze'].includes(result.phase);
      const threwSuccess = result.phase === 'run' && result.error === ':success';
      return { ok: compileError || threwSuccess, detail: described };
    }
    default:
      return { ok: false, detail: `unknown kind ${kind}` };
  }
}
