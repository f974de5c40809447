// Package authz is Incuchain's one authorization model: Casbin RBAC with
// domains, embedded here so that every service enforces exactly the same
// rules locally.
//
// A domain is the tenant a role is held in: "platform", "region:<id>",
// "carrier:<id>" or "company:<id>". What each role may do is data
// (policy.csv); who holds which role where arrives at run time, first as a
// snapshot (Replace) and then as member.role_granted / member.role_revoked
// events (Apply), so enforcers stay in sync without periodic reloads.
//
// Can checks an object against every domain it belongs to (platform,
// region, carrier, company) without running Casbin's matcher: at New the
// p rules Casbin loaded are compiled into role -> domain kind -> objects
// and actions (keyMatch for "*" and "name/*"), and who holds which role
// where is kept only in an index per user, not as Casbin g rules. New
// refuses a model whose matcher the index does not implement, and
// TestCanEquivalentToCasbin compares Can with plain Casbin decision by
// decision.
//
// Subjects are prefixed in Casbin rules ("u:<id>" for users, "r:<name>" for
// roles) because Casbin treats a subject equal to a role name as holding
// that role: without the prefixes a user whose id is "park_admin" would be
// a park admin everywhere.
//
// The package is pure (Casbin, events and the standard library) so that it
// can be tested alone; the HTTP middleware lives in httpx.
package authz
