#!/usr/bin/env bash
# Run scenarios on a real Erlang/OTP node and print their traces.
#
#   conformance/run-otp.sh SCENARIO.json                 trace on stdout, exit code of the driver
#   conformance/run-otp.sh --out DIR SCENARIO.json...    one node for many files:
#                                                        DIR/<name>.trace and DIR/<name>.status
#
# Environment:
#   SCONF_WORKDIR  where the renamed supervisor copy and the .beam files go
#                  (default: ${XDG_CACHE_HOME:-$HOME/.cache}/supervise-conformance)
#   SCONF_SCALE    real milliseconds per virtual millisecond while an OTP shutdown timer is
#                  armed (integer >= 1, default 1); raise it if the driver reports a timing
#                  violation (exit code 3)
#   SCONF_TIE      timer_first (default) or child_first: which goes first when a child's
#                  stop_delay ends at the same instant as its supervisor's shutdown timer
#                  (README.md, "Ties"). child_first is safer with SCONF_SCALE >= 2.
#   SUPERVISOR_ERL path of the installed supervisor.erl (default: found under code:lib_dir(stdlib))
#
# Exit codes (single-file mode): 0 ok, 2 invalid scenario, 3 timing violation, 4 driver
# error or deadlock, 5 no Erlang/OTP or unexpected supervisor.erl.
#
# Nothing of OTP's source is kept in the repository: supervisor.erl is copied from the
# installed erlang-src into the work directory, renamed to vsupervisor and its one clock
# call (erlang:monotonic_time(1)) pointed at sconf_vclock, then compiled there.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$here/erlang"
work="${SCONF_WORKDIR:-${XDG_CACHE_HOME:-$HOME/.cache}/supervise-conformance}"

for tool in erl erlc; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "run-otp.sh: $tool not found (install erlang-nox and erlang-src)" >&2
        exit 5
    fi
done

if ! mkdir -p "$work" 2>/dev/null || [ ! -w "$work" ]; then
    work="${TMPDIR:-/tmp}/supervise-conformance-$(id -u)"
    mkdir -p "$work"
fi
lock="$work/.build.lock"

build() {
    local sup="${SUPERVISOR_ERL:-}"
    if [ -z "$sup" ]; then
        sup="$(erl -noshell -eval 'io:format("~s", [filename:join([code:lib_dir(stdlib), "src", "supervisor.erl"])]), halt().')"
    fi
    if [ ! -f "$sup" ]; then
        echo "run-otp.sh: $sup not found (install erlang-src)" >&2
        exit 5
    fi
    local stamp
    stamp="$(cat "$sup" "$src"/*.erl "$0" | sha256sum | cut -c1-16)"
    if [ -f "$work/.stamp" ] && [ "$(cat "$work/.stamp")" = "$stamp" ]; then
        return 0
    fi
    local tmp="$work/tmp.$$"
    rm -rf "$tmp" && mkdir -p "$tmp"
    # The renamed copy. Every edit must apply exactly as often as expected, otherwise this
    # is not the supervisor.erl the driver was written against (OTP 25, stdlib 4.2).
    local want_clock want_module want_self want_fun
    want_clock=1; want_module=1; want_self=2; want_fun=4
    count() { grep -c -F -- "$1" "$sup" || true; }
    local c1 c2 c3 c4
    c1="$(count 'erlang:monotonic_time(1)')"
    c2="$(count '-module(supervisor).')"
    c3="$(grep -c -E 'gen_server:start_link\((SupName, )?supervisor,' "$sup" || true)"
    c4="$(count 'fun supervisor:format_log/')"
    if [ "$c1" != "$want_clock" ] || [ "$c2" != "$want_module" ] || [ "$c3" != "$want_self" ] || [ "$c4" != "$want_fun" ]; then
        echo "run-otp.sh: $sup does not look like OTP 25's supervisor.erl (clock=$c1 module=$c2 start_link=$c3 format_log=$c4)" >&2
        exit 5
    fi
    sed -e 's/erlang:monotonic_time(1)/sconf_vclock:monotonic_time(1)/' \
        -e 's/^-module(supervisor)\./-module(vsupervisor)./' \
        -e 's/gen_server:start_link(supervisor,/gen_server:start_link(vsupervisor,/' \
        -e 's/gen_server:start_link(SupName, supervisor,/gen_server:start_link(SupName, vsupervisor,/' \
        -e 's/fun supervisor:format_log\//fun vsupervisor:format_log\//g' \
        "$sup" > "$tmp/vsupervisor.erl"
    if grep -q 'erlang:monotonic_time' "$tmp/vsupervisor.erl"; then
        echo "run-otp.sh: clock call not replaced" >&2
        exit 5
    fi
    # supervisor.erl includes logger.hrl from kernel's include directory.
    local kinc
    kinc="$(erl -noshell -eval 'io:format("~s", [filename:join(code:lib_dir(kernel), "include")]), halt().')"
    erlc -I "$kinc" -I "$(dirname "$sup")" -o "$tmp" "$tmp/vsupervisor.erl"
    erlc -o "$tmp" "$src"/*.erl
    rm -f "$work"/*.beam "$work"/vsupervisor.erl
    mv "$tmp"/* "$work"/
    rmdir "$tmp"
    echo "$stamp" > "$work/.stamp"
}

# Several test processes may start at once: build under a lock.
exec 9>"$lock"
flock 9
build
flock -u 9

exec erl -noshell -noinput +S 1:1 +SDcpu 1:1 +SDio 1 -pa "$work" -s sconf_driver main -extra "$@"
