// The demo page left running: its wasm heap, allocation per frame and GC
// pauses, sampled while it animates in headless Chromium.
// Usage: node bench/soak.mjs [minutes] [gc=on|off]
import { launchChromium } from '../tests/lib/browser.mjs';
import { startServer } from '../tests/lib/server.mjs';

const minutes = Number(process.argv[2] ?? 10);
const gc = (process.argv[3] ?? 'gc=on') !== 'gc=off';
const port = 7961 + (gc ? 0 : 1); // clear of the ports the tests use
const sampleEveryMs = 10_000;
const mib = (bytes) => (bytes / 1048576).toFixed(1);

const { server } = await startServer(['--port', String(port), '--www', 'www', '--log-level', 'warn', '--no-nrepl']);
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/${gc ? '' : '?gc=off'}`);
  await page.waitForFunction(() => window.demoState?.balls > 0, null, { timeout: 60000 });
  const sample = () => page.evaluate(() => ({
    heap: window.jankModule.HEAP8.length,
    frame: window.demoState.t,
    gc: window.jankClient.stats().gc,
  }));
  const samples = [await sample()];
  const deadline = Date.now() + minutes * 60_000;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, Math.min(sampleEveryMs, deadline - Date.now())));
    samples.push(await sample());
  }
  const first = samples[0];
  const last = samples.at(-1);
  const half = samples.find((s) => s.frame >= first.frame + (last.frame - first.frame) / 2) ?? last;
  const frames = last.frame - first.frame;
  const perFrame = (key) => ((last.gc[key] - first.gc[key]) / frames).toFixed(0);
  console.log(`| collector | minutes | frames | heap at start | heap at half-time | heap at end | objects/frame | bytes/frame | collections | pause p50 | pause p99 | pause max |`);
  console.log(`|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|`);
  console.log(`| ${gc ? 'on' : 'off (?gc=off)'} | ${minutes} | ${frames} | ${mib(first.heap)} MiB | ${mib(half.heap)} MiB | ${mib(last.heap)} MiB`
    + ` | ${perFrame('allocated_objects')} | ${perFrame('allocated_bytes')} | ${last.gc.collections - first.gc.collections}`
    + ` | ${last.gc.pause_p50_ms.toFixed(3)} ms | ${last.gc.pause_p99_ms.toFixed(3)} ms | ${last.gc.pause_max_ms.toFixed(3)} ms |`);
} finally {
  await browser.close();
  server.kill();
}
