// Package migrations holds the parks service's versioned schema, applied
// at start-up on PostgreSQL and SQLite alike.
package migrations

import (
	"embed"

	"github.com/incuchain/incuchain/pkg/db"
)

//go:embed *.sql
var files embed.FS

// Set is the parks schema.
var Set = db.Migrations{Component: "parks", FS: files}
