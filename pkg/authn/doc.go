// Package authn is how Incuchain knows who is calling.
//
// The gateway owns login and sessions; the parks service owns users and
// their password hashes. The pieces here serve both sides:
//
//   - Passwords: argon2id hashing in PHC string form, verification in
//     constant time, and the password policy (ValidatePassword).
//   - Sessions: opaque random tokens stored only as SHA-256 hashes in the
//     gateway's database, each with a CSRF token (also stored hashed) for
//     the double-submit check on cookie-authenticated unsafe requests.
//   - Cookies and tokens: the console carries the session in an HttpOnly
//     cookie; API clients send it as "Authorization: Bearer <token>".
//   - Limiter: in-memory login throttling per account and per IP.
//   - Identity propagation: after authenticating a request, the gateway
//     forwards it to the owning service with a signed X-Incuchain-Identity
//     header (HMAC-SHA256 over a short-lived JSON payload, keyed by a shared
//     internal secret). Services install Middleware and read the caller with
//     FromContext; they trust nothing but a valid signature.
//
// The gateway must delete any X-Incuchain-Identity header a client sends
// before it forwards a request, so that only identities it signed reach the
// services.
package authn
