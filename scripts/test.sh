#!/usr/bin/env bash
# The whole test suite, one command: `npm test`. CI runs exactly this (.ci/run).
#
# Steps, in order; the first failure stops the run and is named in the summary:
#   deps         npm ci if node_modules is missing or older than package-lock.json
#   check        Paraglide messages, then svelte-kit sync + svelte-check (errors and warnings fail)
#   unit         vitest, project `unit` (src/**/*.spec.ts)
#   postgres     throwaway PostgreSQL server (or TEST_DATABASE_URL), kept until this script exits
#   integration  vitest, project `integration` (tests/integration), on SQLite and PostgreSQL
#   build        vite build (adapter-node, into build/)
#   chromium     Debian's Chromium for Playwright (installed if missing and root)
#   e2e          playwright test against the built app, served on SQLite and on PostgreSQL
#
# Local iteration only: TEGAMI_TEST_SKIP=e2e,check skips the named steps (refused when CI is set,
# so CI can never pass with parts of the suite silently left out). Nothing here reads a terminal.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$TEGAMI_ROOT/scripts/pg-test-server.sh"
cd "$TEGAMI_ROOT"

ALL_STEPS=(deps check unit postgres integration build chromium e2e)

# --- skips -----------------------------------------------------------------------------------------
declare -A SKIP=()
if [[ -n "${TEGAMI_TEST_SKIP:-}" ]]; then
	if [[ -n "${CI:-}" && "${CI}" != "false" && "${CI}" != "0" ]]; then
		die "TEGAMI_TEST_SKIP=$TEGAMI_TEST_SKIP is for local iteration only; unset it on CI"
	fi
	IFS=',' read -r -a requested <<<"$TEGAMI_TEST_SKIP"
	for name in "${requested[@]}"; do
		name="${name// /}"
		[[ -n "$name" ]] || continue
		[[ " ${ALL_STEPS[*]} " == *" $name "* ]] || die "TEGAMI_TEST_SKIP: unknown step '$name' (steps: ${ALL_STEPS[*]})"
		SKIP[$name]=1
	done
fi
# Steps that exist only to serve later ones are skipped with them.
if [[ -n "${SKIP[integration]:-}" && -n "${SKIP[e2e]:-}" ]]; then SKIP[postgres]=1; fi
if [[ -n "${SKIP[e2e]:-}" ]]; then SKIP[chromium]=1; fi

# --- summary ---------------------------------------------------------------------------------------
RESULTS=()
CURRENT_STEP=""
RUN_START=$SECONDS

print_summary() {
	local line
	{
		echo
		echo "[tegami] ---------------- test summary ----------------"
		for line in "${RESULTS[@]}"; do echo "[tegami]   $line"; done
		if [[ -n "$CURRENT_STEP" ]]; then
			echo "[tegami]   FAILED   $CURRENT_STEP"
			echo "[tegami] FAILED at step '$CURRENT_STEP' (exit status ${TEGAMI_EXIT_STATUS:-?}) after $((SECONDS - RUN_START)) s"
		elif [[ "${TEGAMI_EXIT_STATUS:-1}" -eq 0 ]]; then
			local skipped=0
			for line in "${RESULTS[@]}"; do [[ "$line" == skipped* ]] && skipped=$((skipped + 1)); done
			if ((skipped)); then
				echo "[tegami] passed in $((SECONDS - RUN_START)) s, but $skipped step(s) SKIPPED (TEGAMI_TEST_SKIP)"
			else
				echo "[tegami] all steps passed in $((SECONDS - RUN_START)) s"
			fi
		else
			echo "[tegami] FAILED (exit status ${TEGAMI_EXIT_STATUS:-?}) outside any step"
		fi
	} >&2
}
# Registered first so that it runs last, after the PostgreSQL server has been stopped.
add_exit_hook print_summary

# Run one step. A failing command ends the script through `set -e`; CURRENT_STEP is still set then,
# which is how the summary knows which step failed.
step() {
	local name="$1" started=$SECONDS
	shift
	if [[ -n "${SKIP[$name]:-}" ]]; then
		RESULTS+=("$(printf '%-8s %s' skipped "$name")")
		log "=== $name: skipped (TEGAMI_TEST_SKIP)"
		return 0
	fi
	log "=== $name"
	CURRENT_STEP="$name"
	"$@"
	CURRENT_STEP=""
	RESULTS+=("$(printf '%-8s %-12s %4d s' passed "$name" $((SECONDS - started)))")
}

# --- steps that need more than one command ----------------------------------------------------------
ensure_chromium() {
	CHROMIUM_PATH="$(bash "$TEGAMI_ROOT/scripts/ensure-chromium.sh")"
	export CHROMIUM_PATH
	log "using $CHROMIUM_PATH ($("$CHROMIUM_PATH" --version 2>/dev/null || true))"
}

check_types() {
	# src/lib/paraglide is generated and git-ignored; svelte-check needs it (see the script).
	node scripts/paraglide-compile.js
	npm run --silent check
}

run_e2e() {
	[[ -f build/index.js ]] || die "build/index.js is missing: the e2e tests serve the built app (do not skip 'build')"
	npm run --silent test:e2e
}

# Vitest and Playwright pick plain, non-interactive output by themselves when stdout is not a
# terminal; CI=true additionally makes Playwright refuse test.only and use one worker.
step deps ensure_node_modules
step check check_types
step unit npm run --silent test:unit
step postgres pg_test_start
step integration npm run --silent test:integration
step build npm run --silent build
step chromium ensure_chromium
step e2e run_e2e
