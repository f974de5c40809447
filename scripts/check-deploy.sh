#!/usr/bin/env bash
# Checks Incuchain's deployment artifacts without a container engine or a
# Kubernetes cluster:
#
#   deploy/Dockerfile            hadolint when installed, and built-in rules
#                                (pinned bases, multi-stage, static -trimpath
#                                build, every go.work module copied, non-root,
#                                every service on 0.0.0.0 and EXPOSEd, console
#                                in INCUCHAIN_WEB_DIR)
#   deploy/compose/*.yaml        YAML, images pinned, build/env_file/volume/
#                                depends_on references, -target per service,
#                                a container for every service, wiring (gateway
#                                URL of each service, NATS, S3, PostgreSQL,
#                                secret)
#   deploy/config/example.env    every key is a real setting, every distributed
#                                setting is documented, the binary parses it
#   charts/incuchain             helm lint --strict, helm template with the
#                                defaults and each ci/*-values.yaml; each render
#                                strictly decoded into the Kubernetes API types
#                                (kubecheck), its wiring checked (deploycheck.py,
#                                a Deployment for every service of the binary)
#                                and its ConfigMap parsed by the binary; values
#                                that must be refused are refused
#
# Tools it needs and does not find are installed into <repo>/bin and kept
# there: helm (go install, pinned) and kubecheck (deploy/checks/kubecheck).
# The setting names come from `incuchain -print-config`, built from this tree;
# so does the list of services (one per INCUCHAIN_<SERVICE>_ADDR setting).
#
# Usage: scripts/check-deploy.sh        (exit status 0 only if every check passed)
set -euo pipefail

HELM_VERSION=v3.22.0
# The Kubernetes version rendered for (a go-installed helm would assume 1.20).
KUBE_VERSION=1.33.0
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN="$ROOT/bin"
CHART="$ROOT/charts/incuchain"
CHECKS="$ROOT/deploy/checks"
RELEASE=incuchain
WORK=$(mktemp -d "${TMPDIR:-/tmp}/check-deploy.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export PATH="$BIN:$PATH"

START=$SECONDS
PASSED=0
FAILED=0
SKIPPED=0
FAILURES=()

say() { printf '%s\n' "$*"; }
section() { printf '\n== %s\n' "$*"; }

# check NAME CMD...: runs CMD, shows its output indented, counts the result.
check() {
	local name=$1
	shift
	local log="$WORK/log.$((PASSED + FAILED + SKIPPED))"
	local t0=$SECONDS
	if "$@" >"$log" 2>&1; then
		PASSED=$((PASSED + 1))
		say "PASS  $name ($((SECONDS - t0))s)"
		sed 's/^/      /' "$log"
	else
		FAILED=$((FAILED + 1))
		FAILURES+=("$name")
		say "FAIL  $name ($((SECONDS - t0))s)"
		sed 's/^/      /' "$log" | tail -n 60
	fi
}

skip() {
	SKIPPED=$((SKIPPED + 1))
	say "SKIP  $1: $2"
}

# refuse PATTERN CMD...: CMD must fail and say PATTERN (a rejected input
# must be rejected for the right reason).
refuse() {
	local pattern=$1
	shift
	local out
	if out=$("$@" 2>&1); then
		printf 'accepted, but must be refused:\n%s\n' "$out" | head -n 20
		return 1
	fi
	if ! grep -qE -- "$pattern" <<<"$out"; then
		printf 'refused, but not with /%s/:\n%s\n' "$pattern" "$out" | head -n 20
		return 1
	fi
	printf 'refused as expected: %s\n' "$(grep -oE -- "$pattern" <<<"$out" | head -n 1)"
}

# ------------------------------------------------------------------ tools

section "tools"

ensure_helm() {
	# A go-installed helm reports only "v3.22"; the module version is exact.
	if [[ -x "$BIN/helm" ]] && [[ "$(go version -m "$BIN/helm" 2>/dev/null | awk '$1 == "mod" {print $3}')" == "$HELM_VERSION" ]]; then
		return 0
	fi
	say "installing helm $HELM_VERSION into $BIN (go install; a few minutes on a cold cache)"
	mkdir -p "$BIN"
	(cd "$WORK" && GOWORK=off GOFLAGS=-buildvcs=false GOBIN="$BIN" go install "helm.sh/helm/v3/cmd/helm@$HELM_VERSION")
}

ensure_kubecheck() {
	local src="$CHECKS/kubecheck"
	if [[ -x "$BIN/kubecheck" ]] && [[ -z "$(find "$src" -newer "$BIN/kubecheck" -type f)" ]]; then
		return 0
	fi
	say "building kubecheck into $BIN"
	mkdir -p "$BIN"
	(cd "$src" && GOWORK=off GOFLAGS=-buildvcs=false go build -trimpath -o "$BIN/kubecheck" .)
}

ensure_python_yaml() {
	local py
	for py in python3 /usr/bin/python3; do
		if command -v "$py" >/dev/null && "$py" -c 'import yaml' 2>/dev/null; then
			PYTHON=$(command -v "$py")
			return 0
		fi
	done
	if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
		say "installing python3-yaml (apt-get)"
		apt-get install -y -qq python3-yaml >/dev/null && /usr/bin/python3 -c 'import yaml' && PYTHON=/usr/bin/python3 && return 0
	fi
	say "python3 with PyYAML not found (Debian: apt-get install python3-yaml)"
	return 1
}

command -v go >/dev/null || { say "go is required"; exit 1; }
ensure_python_yaml
ensure_helm
ensure_kubecheck
say "helm      $HELM_VERSION  ($BIN/helm)"
say "kubecheck $BIN/kubecheck"
say "python    $PYTHON ($("$PYTHON" -c 'import yaml; print("PyYAML", yaml.__version__)'))"
# Optional linters: used when present, never required.
HADOLINT=$(command -v hadolint || true)
DOCKER_COMPOSE=false
if command -v docker >/dev/null && docker compose version >/dev/null 2>&1; then DOCKER_COMPOSE=true; fi
SHELLCHECK=$(command -v shellcheck || true)

DC=("$PYTHON" "$CHECKS/deploycheck.py")

# The binary, built from this tree: its settings table names every key, and
# its -config reader proves a settings file parses. Asking for a target that
# does not exist stops it right after the settings are loaded.
section "settings of the binary"
build_binary() {
	(cd "$ROOT" && GOFLAGS=-buildvcs=false go build -o "$WORK/incuchain" ./services/allinone/cmd/incuchain) &&
		"$WORK/incuchain" -print-config >"$WORK/settings.md" &&
		"${DC[@]}" keys "$WORK/settings.md" "$WORK/keys"
}
check "build incuchain and read its settings table (-print-config)" build_binary
KEYS="$WORK/keys"
if [[ ! -s "$KEYS" ]]; then
	# Counted as a failure above; the other checks still run, without
	# checking setting names against the binary.
	KEYS=-
fi

# parses FILE: the binary loads FILE as its -config without complaint.
parses() {
	local out
	if [[ ! -x "$WORK/incuchain" ]]; then
		say "  the binary did not build"
		return 1
	fi
	out=$(env -i PATH="$PATH" HOME="${HOME:-/tmp}" "$WORK/incuchain" -config "$1" -target=check-deploy-none 2>&1 || true)
	if grep -q 'unknown target' <<<"$out"; then
		say "  $(basename "$1"): the binary's settings parser accepts every value"
		return 0
	fi
	say "  $(basename "$1"): the binary refused it: $out"
	return 1
}

# ------------------------------------------------------------ Dockerfile

section "deploy/Dockerfile"
check "Dockerfile rules (built-in)" "${DC[@]}" dockerfile "$ROOT/deploy/Dockerfile" "$ROOT" "$KEYS"
if [[ -n "$HADOLINT" ]]; then
	check "hadolint deploy/Dockerfile" "$HADOLINT" "$ROOT/deploy/Dockerfile"
else
	skip "hadolint" "not installed (not packaged in Debian); built-in rules above ran instead"
fi

# ---------------------------------------------------------------- compose

section "deploy/compose and deploy/config"
check "example.env: known keys, documents the distributed settings" "${DC[@]}" env "$ROOT/deploy/config/example.env" "$KEYS"
check "example.env: the binary parses it (-config)" parses "$ROOT/deploy/config/example.env"
for f in "$ROOT"/deploy/compose/*.yaml; do
	check "compose $(basename "$f"): references, images, wiring" "${DC[@]}" compose "$f" "$ROOT" "$KEYS"
	if $DOCKER_COMPOSE; then
		check "docker compose config $(basename "$f")" docker compose -f "$f" config -q
	fi
done
$DOCKER_COMPOSE || skip "docker compose config" "the compose plugin is not installed; parsed and checked above instead"

# ------------------------------------------------------------------ chart

section "charts/incuchain"
VALUES_SETS=(default)
for f in "$CHART"/ci/*-values.yaml; do
	[[ -e "$f" ]] && VALUES_SETS+=("$f")
done

# render OUT [helm args]: helm template into OUT, removed again on failure.
render() {
	local out=$1
	shift
	if ! helm template "$RELEASE" "$CHART" --namespace incuchain --kube-version "$KUBE_VERSION" "$@" >"$out"; then
		rm -f "$out"
		return 1
	fi
	say "  $(grep -c '^kind:' "$out") objects: $(grep '^kind:' "$out" | awk '{print $2}' | sort | uniq -c | awk '{printf "%s %s, ", $1, $2}' | sed 's/, $//')"
}

# helm template never renders NOTES.txt; a copy of the chart renders it into
# a ConfigMap so that its template errors are caught too.
NOTES_CHART="$WORK/notes-chart/incuchain"
mkdir -p "$WORK/notes-chart"
cp -r "$CHART" "$NOTES_CHART"
cp "$NOTES_CHART/templates/NOTES.txt" "$NOTES_CHART/notes.txt"
cat >"$NOTES_CHART/templates/zz-notes.yaml" <<'EOF'
apiVersion: v1
kind: ConfigMap
metadata:
  name: rendered-notes
data:
  notes: {{ tpl (.Files.Get "notes.txt") . | quote }}
EOF
render_notes() {
	helm template "$RELEASE" "$NOTES_CHART" --namespace incuchain --kube-version "$KUBE_VERSION" "$@" \
		--show-only templates/zz-notes.yaml >"$WORK/notes.yaml" &&
		"$PYTHON" -c 'import sys, yaml
notes = yaml.safe_load(open(sys.argv[1]))["data"]["notes"]
assert "rollout status" in notes, "NOTES.txt lost its instructions"
print("  %d lines, e.g.: %s" % (len(notes.splitlines()), notes.splitlines()[0]))' "$WORK/notes.yaml"
}

for set in "${VALUES_SETS[@]}"; do
	if [[ $set == default ]]; then
		label="default values"
		args=()
		out="$WORK/render-default.yaml"
	else
		label="ci/$(basename "$set")"
		args=(-f "$set")
		out="$WORK/render-$(basename "$set" .yaml).yaml"
	fi
	check "helm lint --strict ($label)" helm lint --strict --kube-version "$KUBE_VERSION" "$CHART" "${args[@]}"
	check "helm template ($label)" render "$out" "${args[@]}"
	check "NOTES.txt renders ($label)" render_notes "${args[@]}"
	[[ -s "$out" ]] || continue
	check "kubecheck: strict decode into Kubernetes types ($label)" kubecheck "$out"
	vals=()
	[[ $set == default ]] || vals=("$set")
	check "wiring of the rendered objects ($label)" "${DC[@]}" chart "$out" "$CHART" "$RELEASE" "$KEYS" "$out.env" "${vals[@]}"
	[[ -s "$out.env" ]] && check "the binary parses the rendered ConfigMap ($label)" parses "$out.env"
done

section "charts/incuchain: values that must be refused"
tpl() { helm template "$RELEASE" "$CHART" --kube-version "$KUBE_VERSION" "$@"; }
check "empty nats.url" refuse 'nats\.url|nats.*url' tpl --set nats.url=
check "empty s3.endpoint" refuse 's3\.endpoint|endpoint' tpl --set s3.endpoint=
check "no S3 keys" refuse 's3\.existingSecret .* is required' tpl --set s3.existingSecret=
check "published S3 keys" refuse 'published default or placeholder' tpl --set s3.existingSecret= --set s3.accessKey=incuchain --set s3.secretKey=incuchain-secret
check "placeholder S3 keys" refuse 'published default or placeholder' tpl --set s3.existingSecret= --set s3.accessKey=change-me --set s3.secretKey=change-me
check "internal secret shorter than 32 bytes" refuse 'at least 32 bytes' tpl --set internalSecret.value=short
check "invitation key that is not 64 hex digits" refuse 'invitationKey' tpl --set invitationKey.value=short
check "SQLite DSN in distributed mode" refuse 'postgres:// DSN' tpl --set parks.database.dsn=sqlite:///data/parks.db
check "SQLite DSN for incubatees" refuse 'incubatees\.database\.dsn must be a postgres:// DSN' tpl --set incubatees.database.dsn=sqlite:///data/incubatees.db
check "SQLite DSN for documents" refuse 'documents\.database\.dsn must be a postgres:// DSN' tpl --set documents.database.dsn=sqlite:///data/documents.db
check "no DSN and no Secret for documents" refuse 'documents\.database' tpl --set documents.database.existingSecret=
check "documents scratch size that is not a quantity" refuse 'documents/tmp/sizeLimit' tpl --set documents.tmp.sizeLimit=lots
check "no DSN and no Secret for a service" refuse 'gateway\.database' tpl --set gateway.database.existingSecret=
check "replicas that are not a number" refuse 'replicas' tpl --set-string gateway.replicas=two
check "unknown top-level value (typo)" refuse 'additional properties|not allowed' tpl --set ingres.enabled=true
check "image pinned to :latest-style digest typo" refuse 'digest' tpl --set image.digest=latest

# ------------------------------------------------------------------ script

section "this script"
if [[ -n "$SHELLCHECK" ]]; then
	check "shellcheck scripts/check-deploy.sh" "$SHELLCHECK" "$ROOT/scripts/check-deploy.sh"
else
	skip "shellcheck" "not installed (Debian: apt-get install shellcheck)"
fi

section "summary"
if ((FAILED > 0)); then
	say "failed checks:"
	printf '  - %s\n' "${FAILURES[@]}"
fi
say "check-deploy took $((SECONDS - START))s"
say "$PASSED passed, $FAILED failed, $SKIPPED skipped"
((FAILED == 0))
