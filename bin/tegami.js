#!/usr/bin/env node
// The `tegami` command. It runs the TypeScript sources directly through tsx, so it works on a plain
// checkout after `npm ci`, without a build. The code lives in src/cli/main.ts.
import { register } from 'tsx/esm/api';

// tsconfig: false — the CLI's code uses relative imports only, and the project's tsconfig extends
// .svelte-kit/tsconfig.json, which does not exist before `svelte-kit sync` has run.
register({ tsconfig: false });

// `tegami help | head -1` closes the pipe early; that is not an error worth a stack trace.
process.stdout.on('error', (e) => {
	if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
	throw e;
});

const { main } = await import('../src/cli/main.ts');
// exitCode rather than exit(): let stdout drain when it is a pipe.
process.exitCode = await main(process.argv.slice(2));
