#!/usr/bin/env bash
# Fails when `go mod tidy` or `go work sync` would change a committed file.
set -euo pipefail
cd "$(dirname "$0")/.."
files=(go.work go.work.sum)
for m in "$@"; do files+=("$m/go.mod" "$m/go.sum"); done
backup=$(mktemp -d)
trap 'rm -rf "$backup"' EXIT
for f in "${files[@]}"; do [ -f "$f" ] && mkdir -p "$backup/$(dirname "$f")" && cp "$f" "$backup/$f"; done
for m in "$@"; do (cd "$m" && go mod tidy); done
go work sync
status=0
for f in "${files[@]}"; do
  if [ -f "$backup/$f" ] && ! cmp -s "$f" "$backup/$f"; then
    echo "tidy-check: $f would change:"; diff -u "$backup/$f" "$f" | head -20 || true
    cp "$backup/$f" "$f"
    status=1
  fi
done
[ $status -eq 0 ] && echo "tidy-check: go.mod, go.sum and go.work are tidy"
exit $status
