import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** designer/dist is missing or older than a file it is built from (designer/src, index.html, the vite config). */
function designerBuildIsStale(): boolean {
  const built = join('designer', 'dist', 'index.html');
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  const sources = ['designer/index.html', 'designer/vite.config.ts', ...readdirSync('designer/src', { recursive: true, encoding: 'utf8' }).map((f) => join('designer/src', f))];
  return sources.some((f) => statSync(f).mtimeMs > builtAt);
}

/** Builds the designer the server serves when its build is missing or stale, so a browser test never drives an old bundle. */
export function buildDesignerIfStale(): void {
  if (designerBuildIsStale()) execFileSync('npx', ['vite', 'build', '--config', 'designer/vite.config.ts', '--logLevel', 'error'], { stdio: 'inherit' });
}
