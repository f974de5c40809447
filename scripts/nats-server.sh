#!/usr/bin/env bash
# Runs the pinned nats-server (JetStream on) for tests and local work.
#
#   scripts/nats-server.sh          build if needed, start in the background,
#                                   print NATS_URL=nats://127.0.0.1:<port>
#   scripts/nats-server.sh stop     stop it
#
# Environment: NATS_PORT (default 14222), NATS_STORE_DIR (default a new
# temporary directory). The machine's own nats-server (Debian, v2.9 on
# :4222) is too old for the bus and is never used.
#
# Typical use:  eval "$(scripts/nats-server.sh)" && go test ./...
set -euo pipefail

VERSION=v2.15.2
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN="$ROOT/bin/nats-server"
PORT=${NATS_PORT:-14222}
RUN_DIR="$ROOT/bin/run"
PID_FILE="$RUN_DIR/nats-server-$PORT.pid"
LOG_FILE="$RUN_DIR/nats-server-$PORT.log"

log() { echo "nats-server.sh: $*" >&2; }

running() { [[ -f "$PID_FILE" ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; }

accepting() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

stop() {
	if ! running; then
		log "not running (no live pid in $PID_FILE)"
		rm -f "$PID_FILE"
		return 0
	fi
	local pid
	pid=$(cat "$PID_FILE")
	kill "$pid"
	for _ in $(seq 1 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		log "pid $pid did not stop; sending KILL"
		kill -9 "$pid" 2>/dev/null || true
	fi
	rm -f "$PID_FILE"
	log "stopped pid $pid"
}

build() {
	if [[ -x "$BIN" ]] && "$BIN" --version 2>/dev/null | grep -q "${VERSION#v}"; then
		return 0
	fi
	log "building nats-server $VERSION into $ROOT/bin"
	mkdir -p "$ROOT/bin"
	(cd "$ROOT" && GOBIN="$ROOT/bin" go install "github.com/nats-io/nats-server/v2@$VERSION")
}

start() {
	build
	mkdir -p "$RUN_DIR"
	if running; then
		log "already running (pid $(cat "$PID_FILE"))"
	else
		if accepting; then
			log "port $PORT is taken by another process; set NATS_PORT"
			exit 1
		fi
		local store=${NATS_STORE_DIR:-}
		if [[ -z "$store" ]]; then
			store=$(mktemp -d "${TMPDIR:-/tmp}/incuchain-nats.XXXXXX")
		fi
		"$BIN" -js -sd "$store" -a 127.0.0.1 -p "$PORT" >"$LOG_FILE" 2>&1 &
		echo $! >"$PID_FILE"
		for _ in $(seq 1 100); do
			accepting && break
			if ! running; then
				log "nats-server exited; see $LOG_FILE"
				tail -n 20 "$LOG_FILE" >&2 || true
				exit 1
			fi
			sleep 0.1
		done
		if ! accepting; then
			log "nats-server not accepting connections on 127.0.0.1:$PORT after 10s; see $LOG_FILE"
			exit 1
		fi
		log "started pid $(cat "$PID_FILE"), store $store, log $LOG_FILE"
	fi
	echo "NATS_URL=nats://127.0.0.1:$PORT"
}

case "${1:-start}" in
start) start ;;
stop) stop ;;
*)
	echo "usage: $0 [start|stop]" >&2
	exit 2
	;;
esac
