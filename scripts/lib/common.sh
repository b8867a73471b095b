# Shared helpers for Tegami's shell scripts. Source it; it defines functions and changes nothing else
# (no `set` options, no traps), so a script that sources it keeps control of its own error handling.
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

# Guard against double sourcing: scripts source each other (test.sh sources pg-test-server.sh), and
# re-running the definitions would reset TEGAMI_EXIT_HOOKS.
if [[ -n "${TEGAMI_COMMON_SH:-}" ]]; then return 0; fi
TEGAMI_COMMON_SH=1

# The repository root, whatever the caller's working directory.
TEGAMI_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# Logs go to stderr so that stdout stays clean for values a caller captures, e.g.
# CHROMIUM_PATH="$(scripts/ensure-chromium.sh)".
log() { printf '[tegami] %s\n' "$*" >&2; }
warn() { printf '[tegami] warning: %s\n' "$*" >&2; }
die() {
	printf '[tegami] error: %s\n' "$*" >&2
	exit 1
}

is_root() { [[ "$(id -u)" -eq 0 ]]; }

# --- exit hooks ----------------------------------------------------------------------------------
# Bash has one EXIT trap per shell; several scripts sourced into one shell each need cleanup (stop
# PostgreSQL, print the test summary). Hooks run last-registered first, like nested `finally`s.
TEGAMI_EXIT_HOOKS=()
_tegami_run_exit_hooks() {
	local status=$? i
	# Hooks may want to know how the script is ending (the test summary does).
	TEGAMI_EXIT_STATUS=$status
	# A failing hook must not stop the other hooks from running.
	set +e
	for ((i = ${#TEGAMI_EXIT_HOOKS[@]} - 1; i >= 0; i--)); do
		eval "${TEGAMI_EXIT_HOOKS[i]}"
	done
	return "$status"
}
add_exit_hook() {
	TEGAMI_EXIT_HOOKS+=("$1")
	trap _tegami_run_exit_hooks EXIT
	# Turn signals into a normal exit so the EXIT trap (and with it every hook) runs on Ctrl-C and
	# when CI cancels the job. 128+n is the conventional status for "killed by signal n".
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 129' HUP
}

# --- node_modules ---------------------------------------------------------------------------------
# npm writes node_modules/.package-lock.json on every install; if package-lock.json is newer, someone
# changed dependencies (a pull, a merge) since the last install, and tests against the old tree would
# be misleading.
ensure_node_modules() {
	local hidden="$TEGAMI_ROOT/node_modules/.package-lock.json"
	if [[ ! -d "$TEGAMI_ROOT/node_modules" || ! -f "$hidden" ]]; then
		log "node_modules is missing: running npm ci"
	elif [[ "$TEGAMI_ROOT/package-lock.json" -nt "$hidden" ]]; then
		log "package-lock.json is newer than node_modules: running npm ci"
	else
		return 0
	fi
	# --no-audit/--no-fund: both call services this network cannot reach and only add noise.
	(cd "$TEGAMI_ROOT" && npm ci --no-audit --no-fund) || die "npm ci failed"
}

# --- Debian packages --------------------------------------------------------------------------------
# Install Debian packages when running as root (CI, a fresh machine). `apt-get update` costs ~10-30 s,
# so run it only when apt does not know a candidate for one of the packages (fresh images ship with
# empty package lists).
apt_install() {
	is_root || die "need Debian packages: $* (run as root: apt-get install -y $*)"
	command -v apt-get >/dev/null || die "need packages $* but apt-get is not available on this system"
	local pkg needs_update=0
	for pkg in "$@"; do
		if ! apt-cache policy "$pkg" 2>/dev/null | grep -q 'Candidate: [^(]'; then
			needs_update=1
		fi
	done
	# Another apt (e.g. a background install) may hold the lock; wait for it instead of failing.
	local -a apt_opts=(-o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)
	if ((needs_update)); then
		log "apt-get update"
		DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" update -qq >&2 || die "apt-get update failed"
	fi
	log "apt-get install -y $*"
	DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" install -y -qq "$@" >&2 \
		|| die "apt-get install $* failed"
}
