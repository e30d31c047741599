/**
 * The top functions of a V8 CPU profile by self time: `npx tsx bench/profile-top.ts file.cpuprofile [N]`.
 * Used by `npm run bench -- --cpu-prof` (node --cpu-prof writes the profiles).
 */
import fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

export function topFunctions(file: string, n = 15): string[] {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  let total = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const f = byId.get(id)!.callFrame;
    if (f.functionName === '(idle)') {
      idle += dt;
      return;
    }
    total += dt;
    const where = f.url
      ? `${f.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/main\//, '')}:${f.lineNumber + 1}`
      : '';
    const key = `${f.functionName || '(anonymous)'} ${where}`.trim();
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  const lines = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, t]) => `${((100 * t) / total).toFixed(1).padStart(5)} %  ${k}`);
  return [`busy ${(total / 1e6).toFixed(1)} s, idle ${(idle / 1e6).toFixed(1)} s`, ...lines];
}

if (require.main === module) {
  const [file, n] = process.argv.slice(2);
  if (!file) {
    console.error('usage: tsx bench/profile-top.ts file.cpuprofile [N]');
    process.exit(2);
  }
  for (const line of topFunctions(file, Number(n ?? 15))) console.log(line);
}
