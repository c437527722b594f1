// Sums Vitest's and Playwright's JSON reports into one closing line: "Tests: N passed, N failed, N skipped", after
// the wall-clock time of each test file and of the whole suite (the budget is 20 minutes on 2 cores).
import { existsSync, readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const playwrightFile = args[args.length - 1];
const vitestFiles = args.slice(0, -1);
const suiteStarted = Number(process.env.JARDEM_SUITE_STARTED_MS ?? 0);
let passed = 0;
let failed = 0;
let skipped = 0;
/** [file, seconds] of each test file, slowest first. */
const files = [];

for (const [i, vitestFile] of vitestFiles.entries()) {
  if (existsSync(vitestFile)) {
    const v = JSON.parse(readFileSync(vitestFile, 'utf8'));
    passed += v.numPassedTests;
    failed += v.numFailedTests + (v.numRuntimeErrors ?? 0);
    skipped += v.numPendingTests + v.numTodoTests;
    const tag = i === 0 ? '' : ` (${vitestFile.replace(/^.*vitest-|\.json$/g, '')})`;
    for (const r of v.testResults ?? []) if (r.startTime && r.endTime) files.push([`${r.name.replace(`${process.cwd()}/`, '')}${tag}`, (r.endTime - r.startTime) / 1000]);
  } else failed += 1;
}

if (existsSync(playwrightFile)) {
  const report = JSON.parse(readFileSync(playwrightFile, 'utf8'));
  const s = report.stats;
  passed += s.expected + s.flaky;
  failed += s.unexpected;
  skipped += s.skipped;
  // A spec file's wall clock: from its first test's start to its last test's end.
  const spans = new Map();
  const walk = (suite, file) => {
    const f = suite.file ?? file;
    for (const spec of suite.specs ?? [])
      for (const test of spec.tests ?? [])
        for (const r of test.results ?? []) {
          const start = Date.parse(r.startTime);
          const span = spans.get(f) ?? [Infinity, 0];
          spans.set(f, [Math.min(span[0], start), Math.max(span[1], start + r.duration)]);
        }
    for (const child of suite.suites ?? []) walk(child, f);
  };
  for (const suite of report.suites ?? []) walk(suite, suite.file);
  for (const [f, [a, b]] of spans) files.push([`e2e/${f}`, (b - a) / 1000]);
} else failed += 1;

files.sort((a, b) => b[1] - a[1]);
console.log('Wall clock per test file (s):');
for (const [f, secs] of files) console.log(`  ${secs.toFixed(1).padStart(7)}  ${f}`);
if (suiteStarted) console.log(`Wall clock of the whole suite (build, typecheck, lint, unit, end-to-end): ${Math.round((Date.now() - suiteStarted) / 1000)} s`);
console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
