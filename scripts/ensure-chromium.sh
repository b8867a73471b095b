#!/usr/bin/env bash
# Print the path of a Chromium that Playwright can drive, installing Debian's when root.
#
# Playwright's own browser download (`npx playwright install`) cannot reach its CDN from this network,
# so the e2e tests always use a system Chromium. CHROMIUM_PATH overrides the default /usr/bin/chromium.
#
#   CHROMIUM_PATH="$(bash scripts/ensure-chromium.sh)"
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

if [[ -n "${CHROMIUM_PATH:-}" ]]; then
	# An explicit choice is never silently replaced by another browser.
	[[ -x "$CHROMIUM_PATH" ]] || die "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file"
	printf '%s\n' "$CHROMIUM_PATH"
	exit 0
fi

path=/usr/bin/chromium
if [[ ! -x "$path" ]]; then
	if ! is_root; then
		die "Chromium is needed for the e2e tests: install Debian's package as root (apt-get install -y chromium), or set CHROMIUM_PATH to a Chromium/Chrome binary"
	fi
	log "Chromium not found: installing Debian's chromium (~155 MB)"
	apt_install chromium
	[[ -x "$path" ]] || die "apt-get installed chromium but $path is still missing"
fi

# A broken install (missing shared libraries) would otherwise show up later as an obscure Playwright
# launch timeout.
"$path" --version >/dev/null 2>&1 || die "$path does not run ('$path --version' failed); reinstall it: apt-get install --reinstall chromium"
printf '%s\n' "$path"
