// Package migrations holds the incubatees service's versioned schema.
// Versions are by area: 0001 companies and read models, 0010 intake,
// 0020 residencies and rule packs, 0030 ladder and metric reports.
package migrations

import (
	"embed"

	"github.com/incuchain/incuchain/pkg/db"
)

//go:embed *.sql
var files embed.FS

// Set is the incubatees schema.
var Set = db.Migrations{Component: "incubatees", FS: files}
