package ports_test

import (
	"testing"

	"github.com/incuchain/incuchain/pkg/httpx/texttest"
	"github.com/incuchain/incuchain/services/notifications/internal/ports"
)

// Every text is in both languages with the same placeholders, and none
// gives a shared key another text.
func TestMessages(t *testing.T) {
	texttest.Check(t, ports.Messages)
}
