// Package ports is the parks service's HTTP API (/api/v1) and its internal
// endpoints for other services (/internal/v1), on gin.
package ports
