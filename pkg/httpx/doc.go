// Package httpx is the HTTP plumbing every service shares: a gin engine with
// request ids, recovery, access logs, Prometheus metrics and OpenTelemetry
// spans; strict JSON binding; list parameters; health endpoints; and the one
// place where application errors (pkg/apperr) become RFC 9457 problem+json,
// localized to zh-CN (default) or en.
package httpx
