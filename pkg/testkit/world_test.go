package testkit_test

import (
	"testing"

	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/testkit"
)

// A world learns the ids of what it queues, by fixture key and by e-mail,
// and publishes them through its outbox; the wait ends once the service
// (here: nothing to wait for) has applied them.
func TestWorldLearnsWhatItQueues(t *testing.T) {
	w := testkit.NewWorld(t)
	w.AddRegions()
	w.AddCarrier("X", events.CarrierV1{RegionID: w.ID("lixia"), Kind: "incubator", NameZH: "X", Status: "active"})
	w.AddUsers(testkit.DemoUsers())
	for _, key := range []string{"lixia", "huaiyin", "X"} {
		if w.ID(key) == "" {
			t.Errorf("no id learnt for %s", key)
		}
	}
	if len(w.Users) != len(testkit.DemoUsers()) || w.Users["founder@lixia.demo"] == "" {
		t.Errorf("users learnt: %v", w.Users)
	}
	applied := false
	w.PublishAndWait("nothing", func() bool { applied = true; return true })
	if !applied {
		t.Error("PublishAndWait did not ask whether the events were applied")
	}
	if ev := w.Event(events.Scope{}, w.ID("X"), events.CarrierCreatedV1{CarrierV1: events.CarrierV1{CarrierID: w.ID("X")}}); ev.ID == "" {
		t.Errorf("Event built no envelope: %+v", ev)
	}
	if home := testkit.Home(t, "sqlite"); home.DB == "" {
		t.Errorf("Home: %+v", home)
	}
}
