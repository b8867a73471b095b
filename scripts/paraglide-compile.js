// Generate src/lib/paraglide (git-ignored) exactly as the Vite plugin would, without a Vite build.
//
// svelte-check type-checks imports of $lib/paraglide/*, but only Vite's Paraglide plugin generates
// them, so on a fresh clone `npm run check` fails until something has run Vite. Loading the real
// vite.config.ts and running the plugin's buildStart keeps vite.config.ts the one place where the
// Paraglide options live. (Also: when Vitest has to generate the files itself, its exit waits ~10 s
// on a leftover handle; with them present it exits at once.)
import { resolveConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// NODE_ENV=test, as under Vitest: the plugin picks its output layout by NODE_ENV, and giving Vitest
// exactly the files it would write avoids the slow exit described above.
process.env.NODE_ENV = 'test';
const config = await resolveConfig({ root, logLevel: 'warn' }, 'build', 'test');
const plugins = config.plugins.filter((p) => p.name.includes('paraglide'));
if (plugins.length === 0) {
	console.error('[tegami] paraglide-compile: no Paraglide plugin in vite.config.ts; nothing to do');
	process.exit(0);
}
// A minimal Rollup plugin context: the plugin only uses it to register watch files.
const context = { addWatchFile() {}, warn: (/** @type {unknown} */ m) => console.warn(m), meta: {} };
for (const plugin of plugins) {
	const hook = plugin.buildStart;
	const fn = typeof hook === 'function' ? hook : hook?.handler;
	await fn?.call(context, {});
}
console.error('[tegami] Paraglide messages compiled');
// The compiler leaves a handle open that keeps Node alive for ~30 s after the work is done.
process.exit(0);
