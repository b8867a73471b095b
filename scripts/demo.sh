#!/usr/bin/env bash
# `npm run demo`: build Tegami, load the demo workspace into a fresh database and serve it.
#
#   npm run demo                                  fresh SQLite file data/demo.db (recreated every run)
#   DATABASE_URL=postgres://… npm run demo        that database, migrated; the demo is added if missing
#   PORT=8080 npm run demo                        another port (ORIGIN follows it)
#   HOST=0.0.0.0 ORIGIN=http://host:3000 npm run demo   reachable from other machines (mind: the demo
#                                                 passwords are public)
#   DEMO_PASSWORD=… npm run demo                  another password for the demo accounts
#   DEMO_REBUILD=1 npm run demo                   build even when build/ looks current
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if [[ -f scripts/lib/common.sh ]]; then
	# shellcheck source=lib/common.sh
	source scripts/lib/common.sh
else
	log() { printf '[tegami] %s\n' "$*" >&2; }
	die() {
		printf '[tegami] error: %s\n' "$*" >&2
		exit 1
	}
	ensure_node_modules() {
		if [[ ! -d node_modules ]]; then
			log "node_modules is missing: running npm ci"
			npm ci --no-audit --no-fund || die "npm ci failed"
		fi
	}
fi

command -v node >/dev/null || die "Node.js is not installed (Tegami needs Node 20.19 or newer)"
ensure_node_modules

# Build only when something the build reads is newer than the last build: a rebuild costs 20-40 s
# and a second `npm run demo` should start at once. Anything unexpected (no build, DEMO_REBUILD)
# builds.
needs_build() {
	[[ -n "${DEMO_REBUILD:-}" ]] && return 0
	[[ -f build/index.js ]] || return 0
	local inputs=(src static messages migrations project.inlang package.json package-lock.json svelte.config.js vite.config.ts)
	local existing=() p
	for p in "${inputs[@]}"; do [[ -e "$p" ]] && existing+=("$p"); done
	# -prune skips generated Paraglide output, which every build rewrites.
	[[ -n "$(find "${existing[@]}" -path src/lib/paraglide -prune -o -newer build/index.js -print -quit 2>/dev/null)" ]]
}
if needs_build; then
	log "building the app (npm run build)"
	npm run --silent build || die "the build failed (see above)"
else
	log "build/ is newer than the sources: not rebuilding (DEMO_REBUILD=1 forces a build)"
fi

if [[ -n "${DATABASE_URL:-}" ]]; then
	log "using DATABASE_URL from the environment"
else
	# A fresh file every run, so the demo always starts as described in the README.
	mkdir -p data
	rm -f data/demo.db data/demo.db-wal data/demo.db-shm data/demo.db-journal
	export DATABASE_URL="sqlite:./data/demo.db"
fi

node bin/tegami.js migrate
node bin/tegami.js demo

export PORT="${PORT:-3000}"
# Article files are uploaded through the import page; adapter-node's default limit is 512K.
export BODY_SIZE_LIMIT="${BODY_SIZE_LIMIT:-64M}"
export HOST="${HOST:-127.0.0.1}"
export ORIGIN="${ORIGIN:-http://localhost:$PORT}"

cat <<EOF

  ----------------------------------------------------------------------
   Tegami demo: $ORIGIN
   Sign in with one of the demo accounts listed above$([[ -z "${DEMO_PASSWORD:-}" ]] && printf ', password demo-password').
   Database: $DATABASE_URL
   Stop with Ctrl-C.
  ----------------------------------------------------------------------

EOF
exec node build
