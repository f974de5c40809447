// Package migrations holds the rollups service's versioned schema: 0001
// the read models kept from parks', incubatees' and documents' events;
// 0002 the snapshots district admins freeze; 0003 the rule packs' reporting
// cadence (and each residency's pack) and the milestones.
package migrations

import (
	"embed"

	"github.com/incuchain/incuchain/pkg/db"
)

//go:embed *.sql
var files embed.FS

// Set is the rollups schema.
var Set = db.Migrations{Component: "rollups", FS: files}
