package app

// The intake, residency and report areas each declare their part of Tx
// here until they grow their own files (intake.go, residency.go,
// reports.go), which then own these interfaces.

// IntakeTx stores intake calls, applications and reviews.
type IntakeTx interface{}

// ResidencyTx stores residencies, rule packs and the chain.
type ResidencyTx interface{}

// ReportTx stores ladder steps and periodic metric reports.
type ReportTx interface{}
