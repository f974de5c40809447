// Package migrations holds the milestones service's versioned schema:
// 0001 read models (regions, carriers, companies' documents), templates,
// plans, milestones with their updates and history, the reminders sent
// and the audit trail; 0002 the read model of parks' users (their names).
package migrations

import (
	"embed"

	"github.com/incuchain/incuchain/pkg/db"
)

//go:embed *.sql
var files embed.FS

// Set is the milestones schema.
var Set = db.Migrations{Component: "milestones", FS: files}
