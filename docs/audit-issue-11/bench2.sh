#!/bin/sh
# Like bench.sh, but runs the base and the variant test binaries at the
# same time, PAIRS times (which one starts first flips every pair), so both
# see the same machine: on a shared 2-core host the load of others drifts
# over seconds, and sequential runs, however interleaved, see different
# loads. Each binary runs with GOMAXPROCS=1 so the two share the cores
# symmetrically. Results: audit/results/VARIANT.{old,new}.txt (appended,
# so runs accumulate; delete them to start over).
#
#   audit/bench2.sh PAIRS VARIANT...
set -eu
cd "$(dirname "$0")/.."
pairs=$1; shift
bench='^BenchmarkHandler(Invalid)?$'
mkdir -p audit/bin audit/results
test -z "$(git status --porcelain -- internal)" || { echo "internal/ is not clean" >&2; exit 1; }
go test -c -o audit/bin/base.test ./internal/server
run() { # binary outfile
	(cd internal/server && GOMAXPROCS=1 "../../audit/bin/$1.test" -test.run '^$' -test.bench "$bench" \
		-test.benchmem -test.count 1 -test.benchtime 1s >"../../$2.part")
}
for v in "$@"; do
	if [ "$v" != base ]; then
		git apply "audit/$v.patch"
		go test -c -o "audit/bin/$v.test" ./internal/server || { git apply -R "audit/$v.patch"; exit 1; }
		git apply -R "audit/$v.patch"
	fi
	old=audit/results/$v.old.txt new=audit/results/$v.new.txt
	i=0
	while [ $i -lt "$pairs" ]; do
		if [ $((i % 2)) = 0 ]; then
			run base "$old" & p1=$!; run "$v" "$new" & p2=$!
		else
			run "$v" "$new" & p2=$!; run base "$old" & p1=$!
		fi
		wait $p1 $p2
		cat "$old.part" >>"$old"; cat "$new.part" >>"$new"; rm -f "$old.part" "$new.part"
		i=$((i + 1))
	done
	echo "=== $v ($(date -u +%FT%TZ), $pairs simultaneous pairs)"
done
