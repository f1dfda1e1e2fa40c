// Every program in programs.jank: compiled by the built-in jank compiler,
// loaded into the reference runtime, and checked by printed value.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { evalJank, loadRuntime } from '../runtime/harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

/** [{ name, source, expected }] from ";; ==== name" … ";; => value" blocks. */
export function parseCorpus(text) {
  const programs = [];
  for (const block of text.split(/^;; ==== /m).slice(1)) {
    const [name, ...lines] = block.split('\n');
    const expectedAt = lines.findIndex((l) => l.startsWith(';; => '));
    assert.ok(expectedAt >= 0, `${name}: no ";; => " line`);
    programs.push({
      name: name.trim(),
      source: lines.slice(0, expectedAt).join('\n'),
      expected: lines[expectedAt].slice(';; => '.length),
    });
  }
  return programs;
}

const programs = parseCorpus(fs.readFileSync(path.join(here, 'programs.jank'), 'utf8'));

describe('the corpus', () => {
  let rt;
  before(async () => {
    rt = await loadRuntime();
  });

  it('has at least 40 programs', () => {
    assert.ok(programs.length >= 40, `${programs.length} programs`);
  });

  for (const { name, source, expected } of programs) {
    it(name, async () => {
      const ns = `corpus.${name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase()}`;
      const result = await evalJank(rt, `(ns ${ns})\n${source}`);
      if (expected === 'ERROR') {
        assert.ok(result.error, `${name} should fail to compile, got ${result.value}`);
        assert.ok(['read', 'analyze'].includes(result.phase), `${name}: ${result.phase} ${result.error}`);
      } else {
        assert.equal(result.error, undefined, `${name}: ${result.phase} error: ${result.error}`);
        assert.equal(result.value, expected, name);
      }
    });
  }
});
