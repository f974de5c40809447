// Package domain holds the incubatees service's rules: companies and their
// 统一社会信用代码, company membership, intake calls, applications,
// residencies and the chain, rule packs, the cultivation ladder and
// periodic metric reports. It does no I/O.
package domain
