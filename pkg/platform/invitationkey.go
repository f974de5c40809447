package platform

import (
	"errors"
	"path/filepath"

	"github.com/incuchain/incuchain/pkg/linkseal"
)

// InvitationKeyFile is where the all-in-one keeps its generated key.
const InvitationKeyFile = "invitation-link.key"

// InvitationKey is the key parks seals invitation links with and
// notifications opens them with: INVITATION_KEY, or, when it is empty and
// both run in this process (allowGenerated), one generated once into
// DATA_DIR and kept there, so links queued before a restart still open.
func InvitationKey(cfg Config, allowGenerated bool) (*linkseal.Key, error) {
	if cfg.InvitationKey != "" {
		return linkseal.ParseKey(cfg.InvitationKey)
	}
	if !allowGenerated {
		return nil, errors.New("INCUCHAIN_INVITATION_KEY is required when parks and notifications run apart (the same value for both)")
	}
	return linkseal.LoadOrCreate(filepath.Join(cfg.DataDir, InvitationKeyFile))
}
