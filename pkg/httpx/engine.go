package httpx

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/events"
)

// HeaderRequestID carries the request id between clients and services.
const HeaderRequestID = "X-Request-Id"

const (
	ctxRequestID = "incuchain.request_id"
	ctxTexts     = "incuchain.texts"
)

// EngineOption sets up an engine beyond the common chain.
type EngineOption func(*engineSettings)

type engineSettings struct {
	texts *Catalog
}

// WithTexts makes the engine answer problems from the service's own
// catalogue (then the shared one); without it, the shared texts only.
func WithTexts(c *Catalog) EngineOption {
	return func(s *engineSettings) { s.texts = c }
}

// textsOf is the catalogue of the engine serving c.
func textsOf(c *gin.Context) *Catalog {
	if t, ok := c.Get(ctxTexts); ok {
		return t.(*Catalog)
	}
	return Shared
}

var (
	metricsOnce sync.Once
	reqTotal    *prometheus.CounterVec
	reqSeconds  *prometheus.HistogramVec
)

func registerMetrics() {
	metricsOnce.Do(func() {
		reqTotal = prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "incuchain_http_requests_total", Help: "HTTP requests by service, route, method and status.",
		}, []string{"service", "route", "method", "status"})
		reqSeconds = prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "incuchain_http_request_duration_seconds", Help: "HTTP request latency by service and route.",
			Buckets: prometheus.DefBuckets,
		}, []string{"service", "route", "method"})
		prometheus.MustRegister(reqTotal, reqSeconds)
	})
}

// NewEngine returns a gin engine with Incuchain's middleware chain for the
// named service: forwarding headers believed only from the process's
// trusted proxies (SetTrustedProxies), request id, tracing, metrics, access
// log, recovery into problem+json, path parameters and query strings
// checked at the edge (see ValidPathParam, TextProblem), and problem+json
// for unknown routes, in the texts of WithTexts.
func NewEngine(service string, log *slog.Logger, opts ...EngineOption) *gin.Engine {
	settings := engineSettings{texts: Shared}
	for _, o := range opts {
		o(&settings)
	}
	gin.SetMode(gin.ReleaseMode)
	registerMetrics()
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.ContextWithFallback = true
	tracer := otel.Tracer("incuchain/" + service)
	texts := settings.texts
	r.Use(func(c *gin.Context) { c.Set(ctxTexts, texts) }, trustProxies(r, currentProxies()), requestID(), tracing(tracer, service), observe(service, log), recovery(log), checkInput())
	r.NoRoute(func(c *gin.Context) { Error(c, apperr.NotFoundErr("route-not-found")) })
	// 405 (RFC 9110 §15.5.6); gin has already set the Allow header.
	r.NoMethod(func(c *gin.Context) { Error(c, apperr.New(apperr.MethodNotAllowed, "method-not-allowed")) })
	return r
}

// RequestID returns the request's id.
func RequestID(c *gin.Context) string { return c.GetString(ctxRequestID) }

func requestID() gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.GetHeader(HeaderRequestID)
		if id == "" || len(id) > 64 {
			id = events.NewID()
		}
		c.Set(ctxRequestID, id)
		c.Header(HeaderRequestID, id)
		c.Next()
	}
}

func tracing(tracer trace.Tracer, service string) gin.HandlerFunc {
	prop := propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})
	return func(c *gin.Context) {
		ctx := prop.Extract(c.Request.Context(), propagation.HeaderCarrier(c.Request.Header))
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		ctx, span := tracer.Start(ctx, c.Request.Method+" "+route, trace.WithSpanKind(trace.SpanKindServer),
			trace.WithAttributes(attribute.String("service.name", service), attribute.String("http.route", route)))
		defer span.End()
		c.Request = c.Request.WithContext(ctx)
		c.Next()
		span.SetAttributes(attribute.Int("http.response.status_code", c.Writer.Status()))
	}
}

func observe(service string, log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		status := c.Writer.Status()
		elapsed := time.Since(start)
		reqTotal.WithLabelValues(service, route, c.Request.Method, strconv.Itoa(status)).Inc()
		reqSeconds.WithLabelValues(service, route, c.Request.Method).Observe(elapsed.Seconds())
		if route == "/healthz" || route == "/readyz" || route == "/metrics" {
			return
		}
		level := slog.LevelInfo
		if status >= 500 {
			level = slog.LevelError
		}
		log.LogAttrs(c.Request.Context(), level, "http request",
			slog.String("service", service), slog.String("method", c.Request.Method),
			slog.String("route", route), slog.Int("status", status),
			slog.Duration("elapsed", elapsed), slog.String("request_id", RequestID(c)))
	}
}

func recovery(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if rec := recover(); rec != nil {
				if rec == http.ErrAbortHandler {
					panic(rec)
				}
				log.ErrorContext(c.Request.Context(), "panic in handler", "panic", fmt.Sprint(rec), "request_id", RequestID(c))
				Error(c, fmt.Errorf("panic: %v", rec))
			}
		}()
		c.Next()
	}
}

// Check is one readiness probe.
type Check struct {
	Name string
	Fn   func(ctx context.Context) error
}

// MountOps adds /healthz (process alive) and /readyz (every check passes)
// to r. Metrics are not among them: they name routes, volumes and error
// rates nobody outside should read, so they have a listener of their own
// (MetricsHandler, served by platform on INCUCHAIN_METRICS_ADDR).
func MountOps(r *gin.Engine, checks ...Check) {
	r.GET("/healthz", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) })
	r.GET("/readyz", func(c *gin.Context) {
		ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
		defer cancel()
		result, ok := map[string]string{}, true
		for _, ch := range checks {
			if err := ch.Fn(ctx); err != nil {
				result[ch.Name], ok = err.Error(), false
			} else {
				result[ch.Name] = "ok"
			}
		}
		status := http.StatusOK
		if !ok {
			status = http.StatusServiceUnavailable
		}
		c.JSON(status, gin.H{"ready": ok, "checks": result})
	})
}

// MetricsHandler serves the process's Prometheus metrics, those of every
// engine in it included.
func MetricsHandler() http.Handler {
	registerMetrics()
	return promhttp.Handler()
}
