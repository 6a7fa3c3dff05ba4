#!/usr/bin/env bash
# Runs everything benchmarks/README.md describes, then prints the table of ratios to OTP:
#   1. every BenchmarkDotNet benchmark (JSON results in BenchmarkDotNet.Artifacts/results),
#   2. the footprint probes (bytes held per child: engine, runtime),
#   3. the same measurements on OTP's own supervisor (otp/run-otp.sh; skipped when erl is missing),
#   4. the comparison table with the floor and the targets (also written to BenchmarkDotNet.Artifacts/results/comparison.md),
#   5. the cost curves (cost-curves.md and the plot cost-curves.svg in the same folder).
# Usage: benchmarks/run-all.sh [BenchmarkDotNet arguments...]   e.g. --job short   (default: BenchmarkDotNet's default job)
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

results=BenchmarkDotNet.Artifacts/results
rm -rf "$results"
dotnet build -c Release
dotnet run -c Release --no-build -- --filter '*' --exporters json "$@"
dotnet run -c Release --no-build -- --footprint "$results/footprint.tsv"
for n in 1000 10000 100000; do
  dotnet run -c Release --no-build -- --runtime-footprint "$n" "$results/runtime-footprint.tsv"
done

if command -v erl >/dev/null 2>&1 && command -v erlc >/dev/null 2>&1; then
  otp/run-otp.sh otp/results/otp.tsv
else
  echo "run-all: erl not found, OTP's column stays empty (install erlang-nox to fill it)" >&2
fi

dotnet run -c Release --no-build -- --compare "$results" otp/results/otp.tsv | tee "$results/comparison.md"
dotnet run -c Release --no-build -- --curves "$results" "$results/cost-curves.svg" | tee "$results/cost-curves.md"
