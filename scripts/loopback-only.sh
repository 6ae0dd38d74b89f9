#!/usr/bin/env bash
# Runs a command in a network namespace of its own whose only interface is loopback.
#
#   scripts/loopback-only.sh COMMAND [ARGS...]
#
# The fuzzer creates webhooks and sync connections with URLs it makes up, and the service then calls
# them; headless Chromium talks to update and safe-browsing services of its own. Tests must reach
# nothing but 127.0.0.1, so CI runs those steps where nothing else exists. Needs root and iproute2
# (`ip netns`); elsewhere, as on a developer's laptop, it says so and runs the command as it is.
set -euo pipefail

[ $# -gt 0 ] || { echo "usage: scripts/loopback-only.sh COMMAND [ARGS...]" >&2; exit 2; }

if [ "${AGENCY_LOOPBACK_ONLY:-}" = 1 ]; then exec "$@"; fi

name="agency-test-$$"
if command -v ip >/dev/null 2>&1 && ip netns add "$name" 2>/dev/null; then
    trap 'ip netns delete "$name" 2>/dev/null || true' EXIT
    ip -n "$name" link set lo up
    printf '==> %s: in network namespace %s (loopback only)\n' "$(basename "$1")" "$name" >&2
    # Not exec: the trap removes the namespace when the command ends.
    AGENCY_LOOPBACK_ONLY=1 ip netns exec "$name" "$@"
else
    printf '==> %s: no network namespace here (needs root and iproute2); running with the host network\n' "$(basename "$1")" >&2
    AGENCY_LOOPBACK_ONLY=1 exec "$@"
fi
