#!/usr/bin/env bash
# Fuzz the HTTP API with schemathesis against docs/openapi.yaml, on a real `agency serve`.
#
#   scripts/fuzz.sh [--budget SECONDS] [--binary PATH] [--workers N] [--seed N] [--spec PATH]
#                   [--report-dir DIR] [--keep] [-- EXTRA SCHEMATHESIS OPTIONS]
#
# Two phases, each on its own fresh database and server:
#   v1    every operation outside /api/3 (the agency API and /health), `Authorization: Bearer agency_…`
#   api3  every /api/3 operation, `Api-Token: acct_…` of a sandbox loaded with
#         Tests/Fixtures/fitness-studio.bundle.json
# Each phase gets part of the budget (default 120 s in all, for CI; pass e.g. --budget 1800 by hand).
#
# It fails (exit 1) on any 5xx, any status code / content type / response schema / response header
# that docs/openapi.yaml does not document, any method a path does not take answered with other than
# 405 + Allow, any request without a reply (connection dropped, timeout: --request-timeout 10),
# and any exit of the server during a phase (the server is restarted so the phase can go on, and
# the crash is reported with the end of its log).
#
# Nothing is left out (token rotation runs last, on its own). DELETE /v1/accounts/{id} and DELETE /v1/snapshots/{id} stay in: the coverage
# phase sends id 1, so the v1 phase's fixtures can disappear part way; later calls on them then get
# 404, which the spec documents. The api3 phase runs on a separate server and database, so its token
# cannot be deleted by the v1 phase.
#
# Needs python3 (>= 3.9) with venv, curl, and pip access to PyPI the first time (it creates
# .venv-fuzz/ in the repository, or $FUZZ_VENV).
set -euo pipefail
arguments=("$@")

SCHEMATHESIS_VERSION="4.32.5"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SPEC="$ROOT/docs/openapi.yaml"
HOOKS="$ROOT/scripts/fuzz_hooks.py"
# unsupported_method: a method the spec does not list for a path must get 405 with an Allow header
# (the coverage phase sends e.g. PATCH and TRACE to every path). negative_data_rejection and
# positive_data_acceptance are left out: the server is deliberately more lenient (unknown filters,
# ids as numbers or strings) and stricter (duplicate names, empty names) than a schema can say.
CHECKS="not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance,unsupported_method"
FIXTURE="$ROOT/Tests/Fixtures/fitness-studio.bundle.json"
VENV="${FUZZ_VENV:-$ROOT/.venv-fuzz}"

budget=120
binary=""
workers=2
seed=""
keep=0
report_dir=""
extra=()

usage() {
    sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
    case "$1" in
        --budget) budget="$2"; shift 2 ;;
        --budget=*) budget="${1#*=}"; shift ;;
        --binary) binary="$2"; shift 2 ;;
        --binary=*) binary="${1#*=}"; shift ;;
        --workers) workers="$2"; shift 2 ;;
        --workers=*) workers="${1#*=}"; shift ;;
        --seed) seed="$2"; shift 2 ;;
        --seed=*) seed="${1#*=}"; shift ;;
        --spec) SPEC="$2"; shift 2 ;;
        --spec=*) SPEC="${1#*=}"; shift ;;
        --report-dir) report_dir="$2"; shift 2 ;;
        --report-dir=*) report_dir="${1#*=}"; shift ;;
        --keep) keep=1; shift ;;
        -h|--help) usage; exit 0 ;;
        --) shift; extra=("$@"); break ;;
        *) echo "fuzz.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done

case "$budget" in ''|*[!0-9]*) echo "fuzz.sh: --budget must be a whole number of seconds" >&2; exit 2 ;; esac
if [ "$budget" -lt 20 ]; then echo "fuzz.sh: --budget must be at least 20 seconds" >&2; exit 2; fi

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'fuzz.sh: %s\n' "$*" >&2; exit 2; }

# --- the binary --------------------------------------------------------------------------------
if [ -z "$binary" ]; then
    for candidate in "$ROOT/.build/debug/agency" "$ROOT/.build/release/agency"; do
        if [ -x "$candidate" ]; then binary="$candidate"; break; fi
    done
    [ -n "$binary" ] || die "no agency binary in .build/debug or .build/release: run 'swift build' or pass --binary PATH"
fi
[ -x "$binary" ] || die "not an executable: $binary"
binary="$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")"
command -v curl >/dev/null || die "curl is needed"
[ -f "$SPEC" ] || die "no spec at $SPEC"
SPEC="$(cd "$(dirname "$SPEC")" && pwd)/$(basename "$SPEC")"
[ -f "$FIXTURE" ] || die "no fixture at $FIXTURE"

# --- schemathesis, pinned, in its own virtualenv ----------------------------------------------
ST="$VENV/bin/schemathesis"
if ! { [ -x "$ST" ] && "$ST" --version 2>/dev/null | grep -qx "schemathesis, version $SCHEMATHESIS_VERSION"; }; then
    log "installing schemathesis $SCHEMATHESIS_VERSION into $VENV"
    [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi
"$ST" --version >&2

# From here on the service calls the URLs the fuzzer makes up (webhooks, sync connections): only
# loopback may exist (scripts/loopback-only.sh).
if [ "${AGENCY_LOOPBACK_ONLY:-}" != 1 ]; then
    exec "$ROOT/scripts/loopback-only.sh" "${BASH_SOURCE[0]}" "${arguments[@]}"
fi

# --- scratch space and clean-up ----------------------------------------------------------------
WORK="$(mktemp -d "${TMPDIR:-/tmp}/agency-fuzz.XXXXXX")"
[ -n "$report_dir" ] || report_dir="$WORK/reports"
mkdir -p "$report_dir"
report_dir="$(cd "$report_dir" && pwd)"   # schemathesis runs in the phase's directory
supervisor_pid=""

stop_server() {
    if [ -n "$supervisor_pid" ]; then
        touch "$PHASE_DIR/stop"
        if [ -s "$PHASE_DIR/server.pid" ]; then
            local pid i
            pid="$(cat "$PHASE_DIR/server.pid")"
            kill "$pid" 2>/dev/null || true
            # A server stuck (e.g. in the crash backtracer) gets 5 s before SIGKILL.
            for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -KILL "$pid" 2>/dev/null || true
        fi
        wait "$supervisor_pid" 2>/dev/null || true
        supervisor_pid=""
    fi
}

cleanup() {
    local rc=$?
    stop_server || true
    if [ "$keep" = 1 ] || [ "$rc" -ne 0 ]; then
        echo "fuzz.sh: logs, databases and reports kept in $WORK" >&2
    else
        rm -rf "$WORK"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

json_field() {  # json_field FIELD < json
    python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"
}

# Runs the server in a loop: if it dies during a phase, the exit is recorded in `crashes` and it is
# started again on the same port and database so that the phase can continue.
start_server() {
    local db="$1" port="$2"
    : > "$PHASE_DIR/crashes"
    rm -f "$PHASE_DIR/stop"
    (
        trap '' INT
        while :; do
            "$binary" serve --database "$db" --host 127.0.0.1 --port "$port" --bcrypt-cost 10 \
                >> "$PHASE_DIR/server.log" 2>&1 &
            echo $! > "$PHASE_DIR/server.pid"
            rc=0; wait $! || rc=$?
            [ -e "$PHASE_DIR/stop" ] && break
            printf '%s exit status %s\n' "$(date -u +%H:%M:%S)" "$rc" >> "$PHASE_DIR/crashes"
            printf '\n===== server exited with status %s; restarting =====\n\n' "$rc" >> "$PHASE_DIR/server.log"
            sleep 0.2
        done
    ) &
    supervisor_pid=$!
    local i
    for i in $(seq 1 150); do
        if curl -fsS -m 2 "http://127.0.0.1:$port/health" >/dev/null 2>&1; then return 0; fi
        sleep 0.2
    done
    tail -n 40 "$PHASE_DIR/server.log" >&2 || true
    die "the server did not answer /health on port $port"
}

api() {  # api METHOD PATH [BODY-FILE] -> body on stdout; fails on a non-2xx reply
    local method="$1" path="$2" body="${3:-}" out status
    out="$PHASE_DIR/setup-reply.json"
    local args=(-sS -m 60 -o "$out" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $AGENCY_TOKEN"
        -H 'Content-Type: application/json')
    [ -n "$body" ] && args+=(--data-binary "@$body")
    status="$(curl "${args[@]}" "$BASE$path")" || die "setup: $method $path: no reply"
    case "$status" in 2*) cat "$out" ;; *) cat "$out" >&2; die "setup: $method $path answered $status" ;; esac
}

# A fresh database and server, with an agency, a sandbox loaded with the fixture, a snapshot of it,
# a second sandbox and a per-account token for the first one.
prepare_phase() {
    local name="$1"
    PHASE_DIR="$WORK/$name"
    mkdir -p "$PHASE_DIR"
    local db="$PHASE_DIR/agency.sqlite"
    AGENCY_TOKEN="$("$binary" agencies create "Fuzz Agency" --database "$db" --json | json_field token)"
    PORT="$(free_port)"
    BASE="http://127.0.0.1:$PORT"
    start_server "$db" "$PORT"

    printf '{"name": "Fuzz Sandbox"}' > "$PHASE_DIR/sandbox.json"
    SANDBOX_ID="$(api POST /v1/sandboxes "$PHASE_DIR/sandbox.json" | json_field id)"
    api PUT "/v1/accounts/$SANDBOX_ID/bundle" "$FIXTURE" > /dev/null
    ACCOUNT_TOKEN="$(api POST "/v1/accounts/$SANDBOX_ID/tokens" | json_field token)"
    printf '{"sandbox_id": %s, "name": "Fuzz Snapshot", "include": ["contacts", "deals"]}' "$SANDBOX_ID" > "$PHASE_DIR/snapshot.json"
    api POST /v1/snapshots "$PHASE_DIR/snapshot.json" > /dev/null
    printf '{"name": "Fuzz Sandbox 2"}' > "$PHASE_DIR/sandbox2.json"
    api POST /v1/sandboxes "$PHASE_DIR/sandbox2.json" > /dev/null
    log "$name: server on $BASE (pid $(cat "$PHASE_DIR/server.pid")), sandbox $SANDBOX_ID loaded"
}

failures=()

run_phase() {
    local name="$1" seconds="$2" auth_header="$3"; shift 3
    prepare_phase "$name"
    local header
    case "$auth_header" in
        bearer) header="Authorization: Bearer $AGENCY_TOKEN" ;;
        api-token) header="Api-Token: $ACCOUNT_TOKEN" ;;
    esac
    local cmd=("$ST" run "$SPEC"
        --url "$BASE"
        --phases examples,coverage,fuzzing
        --checks "$CHECKS"
        --max-time "$seconds"
        --continue-on-failure
        --workers "$workers"
        --request-timeout 10
        --request-retries 0
        --suppress-health-check all
        --generation-database none
        --header "$header"
        --report junit,ndjson --report-dir "$report_dir"
        --report-junit-path "$report_dir/$name.junit.xml"
        --report-ndjson-path "$report_dir/$name.ndjson"
        --no-color
        "$@")
    [ -n "$seed" ] && cmd+=(--seed "$seed")
    [ "${#extra[@]}" -gt 0 ] && cmd+=("${extra[@]}")
    log "$name: ${cmd[*]}"
    local started=$SECONDS rc=0
    # pipefail: the status is schemathesis's (tee's is 0).
    (cd "$PHASE_DIR" && SCHEMATHESIS_HOOKS="$HOOKS" "${cmd[@]}") 2>&1 | tee "$PHASE_DIR/schemathesis.log" || rc=$?
    log "$name: schemathesis took $((SECONDS - started)) s"

    if [ -s "$PHASE_DIR/crashes" ]; then
        failures+=("$name: the server exited $(wc -l < "$PHASE_DIR/crashes") time(s) during the phase: $(tr '\n' ';' < "$PHASE_DIR/crashes")")
        echo "----- $name: server log before each exit (the request that killed it is in schemathesis's errors) -----" >&2
        python3 - "$PHASE_DIR/server.log" >&2 <<'PY' || true
import sys
requests, crash = [], []
for line in open(sys.argv[1], errors="replace").read().split("\n"):
    if "server exited with status" in line:
        print("\n".join(requests[-3:] + crash[:40] + [line.strip(), ""]))
        requests, crash = [], []
    elif " agency: " in line and line[:4].isdigit():
        requests.append(line)
    elif line.strip():
        crash.append(line)
PY
    elif ! curl -fsS -m 5 "$BASE/health" >/dev/null 2>&1; then
        failures+=("$name: the server no longer answers /health")
    fi
    if [ "$rc" -ne 0 ]; then
        failures+=("$name: schemathesis reported failures (see above; $PHASE_DIR/schemathesis.log)")
    fi
    stop_server
}

# The per-account API has five times the operations of the agency API.
v1_budget=$(( budget * 3 / 10 ))
api3_budget=$(( budget - v1_budget - 8 ))   # a few seconds per phase go to setting up
v1_budget=$(( v1_budget - 4 ))
[ "$v1_budget" -ge 5 ] || v1_budget=5
[ "$api3_budget" -ge 10 ] || api3_budget=10

# Rotating the agency token ends the token every other /v1 case signs in with, so it runs in a short
# phase of its own, on a server of its own, after the others.
rotate_budget=6
v1_budget=$(( v1_budget - rotate_budget ))
[ "$v1_budget" -ge 5 ] || v1_budget=5
run_phase v1 "$v1_budget" bearer --exclude-path-regex '^/api/3/|^/v1/agency/token/rotate$'
run_phase api3 "$api3_budget" api-token --include-path-regex '^/api/3/'
run_phase rotate "$rotate_budget" bearer --include-path-regex '^/v1/agency/token/rotate$'

# Test cases over both phases, from schemathesis's "N generated, N passed[, N failed]" lines.
cases() { { grep -hoE "[0-9]+ $1" "$WORK"/*/schemathesis.log 2>/dev/null || true; } | awk '{ n += $1 } END { print n + 0 }'; }
passed=$(cases passed)
failed=$(( $(cases failed) + ${#failures[@]} ))

echo
if [ "${#failures[@]}" -eq 0 ]; then
    echo "fuzz.sh: no failures (budget ${budget} s)"
    echo "fuzz: ${passed} passed, 0 failed"
    exit 0
fi
echo "fuzz: ${passed} passed, ${failed} failed"
echo "fuzz.sh: FAILED"
for f in "${failures[@]}"; do echo "  - $f"; done
exit 1
