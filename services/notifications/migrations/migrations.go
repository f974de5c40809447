// Package migrations holds the notifications service's versioned schema:
// 0001 the read models kept from parks' and incubatees' events (carriers,
// companies, users and who holds which role where) and every user's
// inbox; 0002 the e-mail of notifications (sent over SMTP, or kept as the
// dev mailbox).
package migrations

import (
	"embed"

	"github.com/incuchain/incuchain/pkg/db"
)

//go:embed *.sql
var files embed.FS

// Set is the notifications schema.
var Set = db.Migrations{Component: "notifications", FS: files}
