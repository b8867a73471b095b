import type { CommandSpec } from './args';

/** What a command may touch of the outside world; tests pass their own. */
export interface CliContext {
	env: Record<string, string | undefined>;
	/** Write a line (or lines) of normal output. */
	out: (text: string) => void;
	/** Write a line of diagnostics (warnings, progress). */
	err: (text: string) => void;
}

export type Command = CommandSpec<CliContext>;
