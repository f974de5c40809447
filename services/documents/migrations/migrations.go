// Package migrations holds the documents service's versioned schema:
// 0001 read models, document types, checklists, documents, versions,
// pending presigned uploads and the audit trail; 0060 the list indexes;
// 0070 where a reused version came from.
package migrations

import (
	"embed"

	"github.com/incuchain/incuchain/pkg/db"
)

//go:embed *.sql
var files embed.FS

// Set is the documents schema.
var Set = db.Migrations{Component: "documents", FS: files}
