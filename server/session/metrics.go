package session

import (
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the server's Prometheus instruments.
type Metrics struct {
	ConnsOpen     prometheus.Gauge
	ConnsTotal    prometheus.Counter
	ConnsRejected *prometheus.CounterVec
	Statements    *prometheus.CounterVec
	Errors        *prometheus.CounterVec
	Latency       *prometheus.HistogramVec
}

// NewMetrics creates and registers the instruments.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		ConnsOpen:     prometheus.NewGauge(prometheus.GaugeOpts{Name: "sluice_connections", Help: "Open client connections."}),
		ConnsTotal:    prometheus.NewCounter(prometheus.CounterOpts{Name: "sluice_connections_total", Help: "Client connections accepted."}),
		ConnsRejected: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "sluice_connections_rejected_total", Help: "Connections refused, by SQLSTATE."}, []string{"sqlstate"}),
		Statements:    prometheus.NewCounterVec(prometheus.CounterOpts{Name: "sluice_statements_total", Help: "Statements executed, by command tag."}, []string{"tag"}),
		Errors:        prometheus.NewCounterVec(prometheus.CounterOpts{Name: "sluice_errors_total", Help: "Errors returned to clients, by SQLSTATE."}, []string{"sqlstate"}),
		Latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "sluice_statement_duration_seconds", Help: "Statement latency, by command tag.",
			Buckets: prometheus.ExponentialBuckets(0.00005, 4, 12)}, []string{"tag"}),
	}
	if reg != nil {
		reg.MustRegister(m.ConnsOpen, m.ConnsTotal, m.ConnsRejected, m.Statements, m.Errors, m.Latency)
	}
	return m
}

// ConnOpened implements pgwire.Metrics.
func (m *Metrics) ConnOpened() {
	m.ConnsOpen.Inc()
	m.ConnsTotal.Inc()
}

// ConnClosed implements pgwire.Metrics.
func (m *Metrics) ConnClosed() { m.ConnsOpen.Dec() }

// ConnRejected implements pgwire.Metrics.
func (m *Metrics) ConnRejected(code string) { m.ConnsRejected.WithLabelValues(code).Inc() }
