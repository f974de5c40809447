// Package bus carries Incuchain events over NATS JetStream without losing
// any of them.
//
// A service writes its change and its events in one database transaction
// (Enqueue into the outbox table); a Relay publishes the outbox in order with
// Nats-Msg-Id = event id and marks rows published only after JetStream
// acknowledged them, so nothing is lost while NATS is down. Durable
// consumers (Consume) record every handled event id in processed_events in
// the same transaction as the handler's change and acknowledge only after
// the commit, so a redelivery changes nothing. Follow keeps in-memory state
// (Casbin enforcers) in step with an ordered, ephemeral consumer.
//
// Connect with an empty URL starts an embedded nats-server (JetStream on
// disk) for the all-in-one mode and for tests; package bustest picks the
// embedded server or the one named by NATS_URL.
package bus
