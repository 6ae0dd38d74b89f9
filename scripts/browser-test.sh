#!/usr/bin/env bash
# The dashboard in a real browser: headless Chromium (Debian's chromium + chromium-driver) driven by
# selenium (pinned, in .venv-browser/ or $BROWSER_VENV) through scripts/browser_test.py, against a
# real `agency serve` on 127.0.0.1 with a fresh database.
#
#   scripts/browser-test.sh [--binary PATH] [--screenshots DIR] [--keep]
#
# Screenshots of each page go to docs/dashboard/ (or DIR). Prints `N passed, N failed` at the end
# and exits non-zero on any failure. Needs a built .build/debug/agency (`swift build`).
set -euo pipefail
arguments=("$@")

SELENIUM_VERSION="4.51.0"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${BROWSER_VENV:-$ROOT/.venv-browser}"
FIXTURE="$ROOT/Tests/Fixtures/fitness-studio.bundle.json"
binary=""
shots="$ROOT/docs/dashboard"
keep=0

while [ $# -gt 0 ]; do
    case "$1" in
        --binary) binary="$2"; shift 2 ;;
        --screenshots) shots="$2"; shift 2 ;;
        --keep) keep=1; shift ;;
        -h|--help) sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "browser-test.sh: unknown argument: $1" >&2; exit 2 ;;
    esac
done

die() { printf 'browser-test.sh: %s\n' "$*" >&2; echo "0 passed, 1 failed"; exit 1; }
log() { printf '==> %s\n' "$*" >&2; }

if [ -z "$binary" ]; then
    for candidate in "$ROOT/.build/debug/agency" "$ROOT/.build/release/agency"; do
        if [ -x "$candidate" ]; then binary="$candidate"; break; fi
    done
    [ -n "$binary" ] || die "no agency binary in .build/debug or .build/release: run 'swift build' or pass --binary PATH"
fi
CHROMIUM="$(command -v chromium || true)"
CHROMEDRIVER="$(command -v chromedriver || true)"
[ -n "$CHROMIUM" ] || die "chromium is not installed (apt-get install chromium chromium-driver; .ci/run does it)"
[ -n "$CHROMEDRIVER" ] || die "chromedriver is not installed (apt-get install chromium-driver; .ci/run does it)"
command -v curl >/dev/null || die "curl is needed"

if ! { [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c "import selenium, sys; sys.exit(selenium.__version__ != '$SELENIUM_VERSION')" 2>/dev/null; }; then
    log "installing selenium $SELENIUM_VERSION into $VENV"
    [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "selenium==$SELENIUM_VERSION"
fi

# From here on only loopback may exist: Chromium calls update and safe-browsing services of its own
# (scripts/loopback-only.sh).
if [ "${AGENCY_LOOPBACK_ONLY:-}" != 1 ]; then
    exec "$ROOT/scripts/loopback-only.sh" "${BASH_SOURCE[0]}" "${arguments[@]}"
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/agency-browser.XXXXXX")"
server_pid=""
cleanup() {
    local rc=$?
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    if [ "$keep" = 1 ] || [ "$rc" -ne 0 ]; then echo "browser-test.sh: server log and database kept in $WORK" >&2; else rm -rf "$WORK"; fi
    exit "$rc"
}
trap cleanup EXIT

db="$WORK/agency.sqlite"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
# The DNS server that proves the custom domain: browser_test.py answers TXT queries on this UDP port.
dns_port="$(python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
base="http://127.0.0.1:$port"
token="$("$binary" agencies create "Browser Test Agency" --database "$db" --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')"
"$binary" serve --database "$db" --host 127.0.0.1 --port "$port" --public-url "$base" --bcrypt-cost 10 \
    --dns-resolver "127.0.0.1:$dns_port" > "$WORK/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 150); do
    curl -fsS -m 2 "$base/health" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || { tail -n 20 "$WORK/server.log" >&2; die "the server exited at start"; }
    sleep 0.2
done
curl -fsS -m 2 "$base/health" >/dev/null 2>&1 || die "the server did not answer /health on port $port"

mkdir -p "$shots"
log "driving headless $("$CHROMIUM" --version 2>/dev/null | head -n 1) against $base"
"$VENV/bin/python" "$ROOT/scripts/browser_test.py" --base-url "$base" --token "$token" --fixture "$FIXTURE" \
    --screenshots "$shots" --chromium "$CHROMIUM" --chromedriver "$CHROMEDRIVER" --dns-port "$dns_port"
