package events

// Event types published by the documents service. A document is one slot of
// a company's materials (for example the business plan of one application);
// each upload into it is a new version, and the document's status follows
// its latest version.
const (
	DocumentUploaded = "documents.document.uploaded"
	DocumentVerified = "documents.document.verified"
	DocumentReturned = "documents.document.returned"
	DocumentDeleted  = "documents.document.deleted"
)

// DocumentV1 is a document's state after a change. ChecklistID is
// "<owner kind>:<owner id>" (e.g. "application:01J…") when the document
// fills a checklist slot, and empty otherwise.
type DocumentV1 struct {
	DocumentID  string `json:"document_id"`
	RegionID    string `json:"region_id"`
	CarrierID   string `json:"carrier_id,omitempty"`
	CompanyID   string `json:"company_id"`
	Type        string `json:"type"`
	ChecklistID string `json:"checklist_id,omitempty"`
	Status      string `json:"status"` // uploaded | verified | returned | deleted
	Version     int    `json:"version"`
	VersionID   string `json:"version_id"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
	ContentType string `json:"content_type"`
	Filename    string `json:"filename,omitempty"` // the original name, metadata only
	Comment     string `json:"comment,omitempty"`
}

// DocumentUploadedV1 announces a new version, verified by the service.
type DocumentUploadedV1 struct{ DocumentV1 }

func (DocumentUploadedV1) EventType() string { return DocumentUploaded }
func (DocumentUploadedV1) EventVersion() int { return 1 }

// DocumentVerifiedV1 announces an operator's acceptance of the latest version.
type DocumentVerifiedV1 struct{ DocumentV1 }

func (DocumentVerifiedV1) EventType() string { return DocumentVerified }
func (DocumentVerifiedV1) EventVersion() int { return 1 }

// DocumentReturnedV1 announces a latest version sent back with a comment.
type DocumentReturnedV1 struct{ DocumentV1 }

func (DocumentReturnedV1) EventType() string { return DocumentReturned }
func (DocumentReturnedV1) EventVersion() int { return 1 }

// DocumentDeletedV1 announces a soft-deleted document (every version); its
// objects are purged after the retention period.
type DocumentDeletedV1 struct{ DocumentV1 }

func (DocumentDeletedV1) EventType() string { return DocumentDeleted }
func (DocumentDeletedV1) EventVersion() int { return 1 }
