#!/usr/bin/env bash
# Measures OTP's own supervisor (see otp_bench.erl) on this machine and writes
# "key<TAB>value<TAB>unit" lines to the file given as $1 (default: results/otp.tsv beside this script),
# echoing them on stdout. One scheduler (+S 1), like the single-threaded .NET engine.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/results/otp.tsv}"

if ! command -v erl >/dev/null 2>&1 || ! command -v erlc >/dev/null 2>&1; then
  echo "run-otp: erl/erlc not found; install Erlang/OTP 25 (apt-get install -y erlang-nox erlang-dev)" >&2
  exit 1
fi

build="$(mktemp -d)"
trap 'rm -rf "$build"' EXIT
erlc -o "$build" "$here/otp_bench.erl"
mkdir -p "$(dirname "$out")"
erl -noshell +S 1:1 -pa "$build" -eval 'otp_bench:main(), halt().' | tee "$out"
echo "run-otp: OTP $(erl -noshell -eval 'io:format("~s", [erlang:system_info(otp_release)]), halt().') figures written to $out" >&2
