package events

// Event types published by the rollups service.
const (
	SnapshotFrozen = "rollups.snapshot.frozen"
)

// SnapshotFrozenV1 announces that a district admin froze a region's
// figures of a period as filed ("2026-Q3 as filed"); later revisions show
// as a difference from it. ETag is the frozen figures' digest.
type SnapshotFrozenV1 struct {
	SnapshotID string `json:"snapshot_id"`
	RegionID   string `json:"region_id"`
	Period     string `json:"period"`
	FrozenBy   string `json:"frozen_by"`
	ETag       string `json:"etag"`
}

func (SnapshotFrozenV1) EventType() string { return SnapshotFrozen }
func (SnapshotFrozenV1) EventVersion() int { return 1 }
