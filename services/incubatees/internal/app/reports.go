package app

// ReportTx stores ladder steps and periodic metric reports.
type ReportTx interface{}
