// Package domain holds the parks service's rules: regions (districts),
// carriers of the incubation chain, users, role grants and invitations.
// It does no I/O; constructors validate and return apperr field errors.
package domain
