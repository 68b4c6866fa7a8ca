// Measures loading and validating the embedded intraday SPX bars (read + parse + calendar/grid rules).
// Run: node --import tsx bench/intraday-load.ts [--reps N]
// Not a test: prints numbers, never fails on timing.
import { loadIntradayBars } from '../packages/data/src/index';

const repsArg = process.argv.indexOf('--reps');
const reps = repsArg > 0 ? Number(process.argv[repsArg + 1]) : 7;

function measure(label: string, load: () => { loadMs: number; bars: number; days: number }): void {
  const wall: number[] = [];
  const cpu: number[] = [];
  let shape = '';
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    const r = load();
    const c = process.cpuUsage(c0);
    wall.push(r.loadMs);
    cpu.push((c.user + c.system) / 1000);
    shape = `${r.days} days, ${r.bars} bars`;
  }
  const warm = [...wall].slice(1).sort((a, b) => a - b);
  const med = warm[Math.floor(warm.length / 2)] as number;
  process.stdout.write(
    `${label} (${shape}): first ${wall[0]?.toFixed(0)} ms, warm median ${med.toFixed(1)} ms, best ${warm[0]?.toFixed(1)} ms ` +
      `(wall: ${wall.map((x) => x.toFixed(0)).join(' ')}; cpu ms: ${cpu.map((x) => x.toFixed(0)).join(' ')})\n`,
  );
}

const count = (d: ReturnType<typeof loadIntradayBars>) => ({
  loadMs: d.loadMs,
  days: d.series.reduce((n, s) => n + s.days.length, 0),
  bars: d.series.reduce((n, s) => n + s.days.reduce((m, x) => m + x.bars.length, 0), 0),
});
measure('hourly only (spx-1h)', () => count(loadIntradayBars({ resolutions: [60] })));
measure('all embedded bars + index.csv check', () => count(loadIntradayBars()));
