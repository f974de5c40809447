// Package migrations holds the tables of authzsync.Keep, which every
// service built on pkg/platform applies next to its own: the role
// assignments it follows from other services' streams and the sequence it
// has applied of each, in the service's own database.
package migrations

import (
	"embed"

	"github.com/incuchain/incuchain/pkg/db"
)

//go:embed *.sql
var files embed.FS

// Set is the schema of authzsync.Keep.
var Set = db.Migrations{Component: "authzsync", FS: files}
