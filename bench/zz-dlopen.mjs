import { performance } from 'node:perf_hooks';
import { compileAnswer, loadRuntime } from '../tests/runtime/harness.mjs';
const n = Number(process.argv[2] ?? 200);
const rt = await loadRuntime();
const patches = [];
for (let i = 0; i < n; i++) {
  const a = await compileAnswer(`(defn ggg [v] (+ v ${1000 + i}))`, { lang: 'jank', backend: 'wasm' });
  patches.push(a);
}
const M = rt.Module;
const t = { write: [], dlopen: [] };
for (const p of patches) {
  const path = `/patches/x${Math.random().toString(36).slice(2)}.wasm`;
  let s = performance.now();
  try { M.FS.mkdir('/patches'); } catch {}
  M.FS.writeFile(path, p.wasm);
  t.write.push(performance.now() - s);
  s = performance.now();
  const rc = M.ccall('jank_hot_reload_load_patch', 'number', ['string', 'string'], [path, p.entry_symbol]);
  t.dlopen.push(performance.now() - s);
  if (rc !== 0) throw new Error('load failed');
}
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const q=(a,b)=>med(t.dlopen.slice(a,b)).toFixed(3); console.log('first 50', q(0,50), 'last 50', q(-50)); const G=Object.keys(rt.Module.GOT??{}).length; console.log('GOT', G);
console.log('bytes', patches[0].wasm.length, 'write med', med(t.write).toFixed(3), 'dlopen med', med(t.dlopen).toFixed(3));
process.exit(0);
