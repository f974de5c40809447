// Package pkg is the root of Incuchain's shared technical module.
//
// Its sub-packages hold infrastructure that at least two services use:
// configuration, databases and migrations, the event envelope, the NATS
// JetStream bus with its transactional outbox, blob storage, HTTP plumbing,
// authentication and Casbin authorization. No domain rules live here.
package pkg
