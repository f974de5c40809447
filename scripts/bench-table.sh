#!/usr/bin/env bash
# Prints the benchmark lines of a `go test -bench` log as one Markdown
# table: the benchmark (its name carries the dataset size), then every
# figure it reported — its own measure, the baseline measured beside it in
# the same run, and the ratio, as each benchmark names them.
set -euo pipefail
log=${1:?usage: bench-table.sh LOG}
echo
echo "| benchmark (dataset in the name) | runs | figures (value unit) |"
echo "| --- | --- | --- |"
awk '
function row(name, first,   figs, i) {
  figs = ""
  for (i = first + 1; i + 1 <= NF; i += 2) figs = figs (figs == "" ? "" : ", ") $i " " $(i + 1)
  printf "| %s | %s | %s |\n", name, $first, figs
  n++
}
# A benchmark that logs prints its name alone, its output, then the figures.
/^Benchmark[^ \t]*[ \t]*$/ { pending = $1; next }
/^Benchmark[^ \t]*[ \t]+[0-9]+[ \t]/ { row($1, 2); pending = ""; next }
pending != "" && /^[ \t]*[0-9]+[ \t]+[0-9.e+-]+ [^ \t]/ { row(pending, 1); pending = ""; next }
END { if (n == 0) { print "bench-table: no benchmark lines in the log" > "/dev/stderr"; exit 1 } }' "$log"
