package documents

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// What the maintenance jobs found, for dashboards and alerts (an orphan or
// missing count above zero deserves a look).
var (
	metricsOnce    sync.Once
	orphanObjects  prometheus.Gauge
	missingObjects prometheus.Gauge
	purgedVersions prometheus.Counter
)

func registerMetrics() {
	metricsOnce.Do(func() {
		orphanObjects = prometheus.NewGauge(prometheus.GaugeOpts{Name: "incuchain_documents_orphan_objects",
			Help: "Objects in the bucket that no document version or pending upload names (last reconciliation)."})
		missingObjects = prometheus.NewGauge(prometheus.GaugeOpts{Name: "incuchain_documents_missing_objects",
			Help: "Document versions whose object is gone from the bucket (last reconciliation)."})
		purgedVersions = prometheus.NewCounter(prometheus.CounterOpts{Name: "incuchain_documents_purged_versions_total",
			Help: "Versions of deleted documents whose objects the purge job removed."})
		prometheus.MustRegister(orphanObjects, missingObjects, purgedVersions)
	})
}
