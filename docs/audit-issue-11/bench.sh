#!/bin/sh
# Measures each audit variant against the base commit with BenchmarkHandler
# and BenchmarkHandlerInvalid, interleaving base and variant runs.
#
#   audit/bench.sh [PAIRS] VARIANT...     (VARIANT = a patch name in audit/, without .patch)
#
# For each variant: builds audit/bin/base.test (the clean tree) and
# audit/bin/VARIANT.test (the patch applied), then runs them alternately
# PAIRS times (-test.count 1 -test.benchtime 1s each; the order flips every
# pair), and prints benchstat base vs variant. Raw outputs stay in
# audit/results/VARIANT.{old,new}.txt (appended: runs accumulate).
set -eu
cd "$(dirname "$0")/.."
pairs=$1; shift
bench='^BenchmarkHandler(Invalid)?$'
mkdir -p audit/bin audit/results
test -z "$(git status --porcelain -- internal)" || { echo "internal/ is not clean" >&2; exit 1; }
go test -c -o audit/bin/base.test ./internal/server
for v in "$@"; do
	if [ "$v" != base ]; then # "base": the base against itself, to see the noise
		git apply "audit/$v.patch"
		go test -c -o "audit/bin/$v.test" ./internal/server || { git apply -R "audit/$v.patch"; exit 1; }
		git apply -R "audit/$v.patch"
	fi
	old=audit/results/$v.old.txt new=audit/results/$v.new.txt
	i=0
	while [ $i -lt "$pairs" ]; do
		for side in $( [ $((i % 2)) = 0 ] && echo "old new" || echo "new old"); do
			bin=$v out=$new; [ "$side" = old ] && bin=base out=$old
			(cd internal/server && "../../audit/bin/$bin.test" -test.run '^$' -test.bench "$bench" \
				-test.benchmem -test.count 1 -test.benchtime 1s) >>"$out"
		done
		i=$((i + 1))
	done
	echo "=== $v ($(date -u +%FT%TZ), $pairs interleaved pairs)"
	benchstat "$old" "$new"
done
