#!/bin/sh
# Item 10 (logbuf): the load harness's server CPU per request with the
# batched log writer (base) and with the slog handler writing straight to
# stderr (audit/10-logbuf.patch), alternating base and variant ROUNDS
# times. Each harness run is
#   go run ./internal/loadtest -duration 3s -rounds 3 -scale ''
# (the mock's stderr is a pipe the harness reads). Raw harness output goes
# to audit/results/loadtest/{old,new}-N.txt; the mock's CPU per request and
# its ratio to the baseline's are converted to benchmark lines in
# audit/results/loadtest/{old,new}.txt for benchstat.
#
#   audit/loadtest.sh ROUNDS
set -eu
cd "$(dirname "$0")/.."
rounds=$1
dir=audit/results/loadtest
mkdir -p "$dir"
test -z "$(git status --porcelain -- internal)" || { echo "internal/ is not clean" >&2; exit 1; }
harness() { # side n
	if [ "$1" = new ]; then git apply audit/10-logbuf.patch; fi
	go run ./internal/loadtest -duration 3s -rounds 3 -scale '' >"$dir/$1-$2.txt" 2>&1 || true
	if [ "$1" = new ]; then git apply -R audit/10-logbuf.patch; fi
	# | mix | ... | server CPU per request: baseline / mock | -> a benchmark line per mix
	awk -F'|' '/µs \(/ {
		mix = $2; gsub(/^ +| +$/, "", mix); gsub(/ /, "_", mix)
		cpu = $9; gsub(/[^0-9. \/]/, " ", cpu); split(cpu, f, "/"); b = f[1] + 0; k = f[2] + 0
		printf "BenchmarkLoad/%s 1 %.2f server-cpu-us/req %.4f mock/baseline-cpu\n", mix, k, k / b
	}' "$dir/$1-$2.txt" >>"$dir/$1.txt"
}
i=0
while [ $i -lt "$rounds" ]; do
	if [ $((i % 2)) = 0 ]; then harness old $i; harness new $i; else harness new $i; harness old $i; fi
	i=$((i + 1))
done
benchstat "$dir/old.txt" "$dir/new.txt"
