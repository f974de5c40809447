package incubatees

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/testkit"
)

// awaitProcessed waits until incubatees' consumer has processed every
// one of evs (applied or ignored); what names them in a failure.
func (h *harness) awaitProcessed(consumer, what string, evs []events.Envelope) {
	h.T.Helper()
	ids := make([]string, len(evs))
	for i, ev := range evs {
		ids[i] = ev.ID
	}
	testkit.Eventually(h.T, fmt.Sprintf("%d %s events processed", len(ids), what), func() bool {
		n, err := h.svc.DB.NewSelect().Table("processed_events").
			Where("consumer = ? AND event_id IN (?)", consumer, bun.List(ids)).Count(context.Background())
		return err == nil && int(n) == len(ids)
	})
}

// makerResidency enrols coB at the maker space M, moved in on 1
// September 2025, and answers the residency's id.
func (h *harness) makerResidency() string {
	h.T.Helper()
	r := h.mustStatus(h.enrolHTTP("makeradmin@lixia.demo", h.IDs["M"], map[string]any{"company_id": h.IDs["coB"], "moved_in_on": "2025-09-01", "unit": "工位 12", "area_m2": 6}), 201, "maker residency")
	return r["id"].(string)
}

// proposeToIncubator has M's admin propose residency id to the incubator
// I, sharing shared.
func (h *harness) proposeToIncubator(id string, shared []string) {
	h.T.Helper()
	h.mustStatus(h.Do("makeradmin@lixia.demo", "POST", "/api/v1/residencies/"+id+"/promotions", map[string]any{"to_carrier_id": h.IDs["I"], "shared": shared}), 201, "propose")
}

// oneFieldMessage is the message of a problem answer's only field error;
// ok is false when the body does not decode or has not exactly one.
func oneFieldMessage(res response) (msg string, ok bool) {
	var pb struct {
		Errors []struct{ Field, Message string }
	}
	if err := json.Unmarshal(res.Body, &pb); err != nil || len(pb.Errors) != 1 {
		return "", false
	}
	return pb.Errors[0].Message, true
}

// hasHan reports whether s has a Chinese character (a zh-CN message).
func hasHan(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) })
}
