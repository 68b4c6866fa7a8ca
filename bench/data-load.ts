// Measures loading all embedded market data (read + validate + quirk rules + snapshots).
// Run: node --import tsx bench/data-load.ts
import { loadEmbeddedMarketData } from '@vixshield/data';
import { standInIsTradingDay } from '../packages/data/test/helpers/stand-in-calendar';

const cal = standInIsTradingDay();
const runs: number[] = [];
const cpu: number[] = [];
for (let i = 0; i < 5; i++) {
  const c0 = process.cpuUsage();
  const md = loadEmbeddedMarketData({ isTradingDay: cal });
  const c = process.cpuUsage(c0);
  runs.push(Math.round(md.loadMs));
  cpu.push(Math.round((c.user + c.system) / 1000));
}
const sorted = [...runs].slice(1).sort((a, b) => a - b);
process.stdout.write(
  `embedded data load: cold ${runs[0]} ms, warm median ${sorted[Math.floor(sorted.length / 2)]} ms ` +
    `(wall per run: ${runs.join(' ')}; cpu: ${cpu.join(' ')})\n`,
);
