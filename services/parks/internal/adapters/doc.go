// Package adapters implements the parks service's store on bun (PostgreSQL
// or SQLite) and writes events to the outbox in the same transaction.
package adapters
