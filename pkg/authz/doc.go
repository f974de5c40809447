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
// Can checks an object against every domain it belongs to, in the order
// platform, region, carrier, company, and asks Casbin only about the
// domains where the user holds some role (an index kept beside Casbin's g
// rules), so a denied foreign tenant costs a map look-up. Inside Casbin the
// matcher compares the domain kind, object and action before it asks the
// role manager; no domain pattern function runs, and the cost does not
// grow with the number of users holding roles.
//
// Subjects are prefixed inside Casbin ("u:<id>" for users, "r:<name>" for
// roles) because Casbin treats a subject equal to a role name as holding
// that role: without the prefixes a user whose id is "park_admin" would be
// a park admin everywhere.
//
// The package is pure (Casbin, events and the standard library) so that it
// can be tested alone; the HTTP middleware lives in httpx.
package authz
